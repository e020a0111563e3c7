package dev.gatehouse.platform;

import dev.gatehouse.platform.problems.ProblemException;

/** A page of a list endpoint, from the query parameters page (from 1) and page_size (1 to 100). */
public record PageRequest(int page, int pageSize) {

    public static final int MAX_PAGE_SIZE = 100;

    /** 422 naming the parameter when either is not a whole number in range. */
    public static PageRequest of(String page, String pageSize) {
        return new PageRequest(intInRange("page", page, 1, Integer.MAX_VALUE / MAX_PAGE_SIZE),
                intInRange("page_size", pageSize, 1, MAX_PAGE_SIZE));
    }

    public int firstResult() {
        return (page - 1) * pageSize;
    }

    private static int intInRange(String field, String value, int min, int max) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.invalidField(field, "must be a whole number from " + min + " to " + max);
    }
}
