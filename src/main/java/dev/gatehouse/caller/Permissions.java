package dev.gatehouse.caller;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Permission names are "resource:action"; a held "resource:*" implies every action on the resource. */
public final class Permissions {

    private Permissions() {
    }

    public static boolean implies(Set<String> held, String required) {
        if (held.contains(required)) {
            return true;
        }
        int colon = required.indexOf(':');
        return colon > 0 && held.contains(required.substring(0, colon) + ":*");
    }

    /** The comma-separated list the auth projection aggregates in SQL; null when the user holds no role. */
    public static Set<String> parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isEmpty()) {
            return Set.of();
        }
        return Arrays.stream(commaSeparated.split(",")).collect(Collectors.toUnmodifiableSet());
    }
}
