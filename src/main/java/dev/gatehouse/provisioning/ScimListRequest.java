package dev.gatehouse.provisioning;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a list of users or groups asks for, from GET's query (RFC 7644 §3.4.2) or a POST .search body
 * (§3.4.3), which mean the same. startIndex below 1 is 1, count above {@link #MAX_COUNT} is MAX_COUNT and below
 * 0 is 0 (§3.4.2.4); a value that is not a number is 400. sortBy is checked where the SQL is made.
 */
record ScimListRequest(ScimFilter filter, int startIndex, int count, String sortBy, boolean descending,
                       ScimAttributes attributes) {

    static final int MAX_COUNT = 200;

    /** GET's query parameters, each null when absent. */
    static ScimListRequest of(String filter, String startIndex, String count, String sortBy, String sortOrder,
                              String attributes, String excludedAttributes) {
        return new ScimListRequest(filter == null || filter.isBlank() ? null : ScimFilterParser.parse(filter),
                Math.max(1, number(startIndex, 1, "startIndex")),
                Math.clamp(number(count, MAX_COUNT, "count"), 0, MAX_COUNT),
                sortBy == null || sortBy.isBlank() ? null : sortBy.strip(), descending(sortOrder),
                ScimAttributes.of(attributes, excludedAttributes));
    }

    /** A SearchRequest body: its members in any case, attributes as an array of paths or one comma-separated string. */
    static ScimListRequest of(JsonObject body) {
        return of(text(member(body, "filter"), "filter"), text(member(body, "startIndex"), "startIndex"),
                text(member(body, "count"), "count"), text(member(body, "sortBy"), "sortBy"),
                text(member(body, "sortOrder"), "sortOrder"), paths(member(body, "attributes"), "attributes"),
                paths(member(body, "excludedAttributes"), "excludedAttributes"));
    }

    private static JsonValue member(JsonObject body, String name) {
        return body.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** A member as the query parameter's text would be (the filter's own limits apply later); null when absent. */
    private static String text(JsonValue value, String name) {
        return switch (value) {
            case null -> null;
            case JsonNumber number -> number.toString();
            case JsonString string -> string.getString();
            default -> {
                if (value.getValueType() == JsonValue.ValueType.NULL) {
                    yield null;
                }
                throw ScimException.invalidValue(name + " must be a string or a number.");
            }
        };
    }

    private static String paths(JsonValue value, String name) {
        if (value instanceof JsonArray array) {
            return array.stream().map(path -> ScimUser.string(path, name)).collect(Collectors.joining(","));
        }
        return ScimUser.string(value, name);
    }

    private static boolean descending(String sortOrder) {
        if (sortOrder == null || sortOrder.isBlank()) {
            return false;
        }
        return switch (sortOrder.strip().toLowerCase(Locale.ROOT)) {
            case "ascending" -> false;
            case "descending" -> true;
            default -> throw ScimException.invalidValue("sortOrder is ascending or descending.");
        };
    }

    private static int number(String value, int otherwise, String parameter) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ScimException.invalidValue(parameter + " must be an integer.");
        }
    }
}
