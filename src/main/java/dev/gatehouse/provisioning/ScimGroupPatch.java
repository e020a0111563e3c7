package dev.gatehouse.provisioning;

import dev.gatehouse.platform.Ids;
import dev.gatehouse.provisioning.ScimFilter.Comparison;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A PATCH of a group (RFC 7644 §3.5.2) as the changes to its members it makes, in order, and the displayName it
 * names if any: Entra ID's {@code {"op":"Add","path":"members","value":[{"value":"<id>"}]}} and
 * {@code {"op":"Remove","path":"members","value":[...]}}, Okta's {@code "path":"members[value eq \"<id>\"]"},
 * replace of all members, an object without path. externalId and id are accepted and not stored.
 */
record ScimGroupPatch(String displayName, List<UnaryOperator<Set<UUID>>> changes) {

    static ScimGroupPatch of(JsonObject body) {
        JsonValue operations = body.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Operations"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (!(operations instanceof JsonArray list) || list.isEmpty() || list.size() > ScimPatch.MAX_OPERATIONS) {
            throw ScimException.invalidSyntax("A PATCH needs Operations: an array of at most " + ScimPatch.MAX_OPERATIONS
                    + " add, replace and remove.");
        }
        String[] displayName = {null};
        List<UnaryOperator<Set<UUID>>> changes = new ArrayList<>();
        for (JsonValue value : list) {
            if (!(value instanceof JsonObject op)) {
                throw ScimException.invalidSyntax("Each operation is an object with op, path and value.");
            }
            String kind = String.valueOf(ScimUser.string(op, "op")).toLowerCase(Locale.ROOT);
            String path = ScimUser.string(op, "path");
            JsonValue operand = op.get("value");
            if (!Set.of("add", "replace", "remove").contains(kind)) {
                throw ScimException.invalidSyntax("op must be add, replace or remove.");
            }
            if (path == null) {
                if (kind.equals("remove") || !(operand instanceof JsonObject attributes)) {
                    throw new ScimException(400, "noTarget", "Without a path, add and replace take an object of attributes.");
                }
                attributes.forEach((name, attribute) -> set(kind, name, attribute, displayName, changes));
            } else {
                set(kind, path, operand, displayName, changes);
            }
        }
        return new ScimGroupPatch(displayName[0], List.copyOf(changes));
    }

    private static void set(String kind, String path, JsonValue value, String[] displayName,
                            List<UnaryOperator<Set<UUID>>> changes) {
        String attribute = path.strip();
        String lower = attribute.toLowerCase(Locale.ROOT);
        if (lower.equals("displayname") && !kind.equals("remove")) {
            displayName[0] = ScimUser.string(value, "displayName");
        } else if (lower.equals("members")) {
            if (kind.equals("remove") && value == null) {
                changes.add(holders -> Set.of());
            } else {
                Set<UUID> ids = ids(value);
                changes.add(switch (kind) {
                    case "add" -> holders -> union(holders, ids);
                    case "replace" -> holders -> ids;
                    default -> holders -> without(holders, ids);
                });
            }
        } else if (lower.startsWith("members[") && lower.endsWith("]") && kind.equals("remove")) {
            UUID id = memberOf(attribute.substring("members[".length(), attribute.length() - 1));
            changes.add(holders -> without(holders, Set.of(id)));
        } else if (!Set.of("externalid", "id", "schemas").contains(lower)) {
            throw ScimException.invalidPath("Groups have no attribute " + attribute + " that this service provider changes.");
        }
    }

    /** The user id of a value filter {@code value eq "<id>"}. */
    private static UUID memberOf(String filter) {
        if (!(ScimFilterParser.parse(filter) instanceof Comparison comparison) || !comparison.attribute().equals("value")
                || comparison.operator() != ScimFilter.Operator.EQ || !(comparison.value() instanceof String id)) {
            throw ScimException.invalidPath("A member is removed by members[value eq \"<user id>\"].");
        }
        return userId(id);
    }

    private static Set<UUID> ids(JsonValue value) {
        if (!(value instanceof JsonArray members)) {
            throw ScimException.invalidValue("members is an array of {\"value\": \"<user id>\"}.");
        }
        Set<UUID> ids = new LinkedHashSet<>();
        for (JsonValue member : members) {
            if (!(member instanceof JsonObject object)) {
                throw ScimException.invalidValue("members is an array of {\"value\": \"<user id>\"}.");
            }
            ids.add(userId(ScimUser.string(object, "value")));
        }
        return ids;
    }

    private static UUID userId(String value) {
        UUID id = value == null ? null : Ids.parseOrNull(value);
        if (id == null) {
            throw ScimException.invalidValue("'" + value + "' is not a user id.");
        }
        return id;
    }

    private static Set<UUID> union(Set<UUID> holders, Set<UUID> ids) {
        Set<UUID> result = new LinkedHashSet<>(holders);
        result.addAll(ids);
        return result;
    }

    private static Set<UUID> without(Set<UUID> holders, Set<UUID> ids) {
        Set<UUID> result = new LinkedHashSet<>(holders);
        result.removeAll(ids);
        return result;
    }

    /** The holders after every change, in order. */
    Set<UUID> apply(Set<UUID> holders) {
        Set<UUID> result = holders;
        for (UnaryOperator<Set<UUID>> change : changes) {
            result = change.apply(result);
        }
        return result;
    }
}
