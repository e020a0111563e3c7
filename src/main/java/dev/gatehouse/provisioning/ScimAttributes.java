package dev.gatehouse.provisioning;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which attributes an answer holds (RFC 7644 §3.4.2.5, §3.9): {@code attributes} names the ones to return,
 * {@code excludedAttributes} the ones to leave out, each a comma-separated list of attribute paths
 * ({@code userName}, {@code name.givenName}, {@code urn:...:enterprise:2.0:User:department}, a schema's URN for
 * its whole extension). id and schemas are always returned; nothing Gatehouse returns is {@code returned: never}
 * (a password is never kept). Applied to the resource's JSON, so every endpoint answers the same way.
 */
final class ScimAttributes {

    static final ScimAttributes ALL = new ScimAttributes(List.of(), true);

    private static final Set<String> ALWAYS = Set.of("id", "schemas");
    /** Core schemas whose URN may prefix a core attribute's path. */
    private static final List<String> CORE_PREFIXES = List.of(ScimUser.SCHEMA.toLowerCase(Locale.ROOT) + ":",
            ScimGroupsResource.SCHEMA.toLowerCase(Locale.ROOT) + ":");
    private static final int MAX_PATHS = 100;

    /** Each path as its lower-cased steps: an extension's URN first when it names one. */
    private final List<List<String>> paths;
    private final boolean excluding;

    private ScimAttributes(List<List<String>> paths, boolean excluding) {
        this.paths = paths;
        this.excluding = excluding;
    }

    /** From the two parameters (null: absent); both at once is 400, as the RFC gives no meaning to it. */
    static ScimAttributes of(String attributes, String excludedAttributes) {
        boolean returning = attributes != null && !attributes.isBlank();
        boolean excluding = excludedAttributes != null && !excludedAttributes.isBlank();
        if (returning && excluding) {
            throw ScimException.invalidValue("Send attributes or excludedAttributes, not both.");
        }
        if (!returning && !excluding) {
            return ALL;
        }
        String[] list = (returning ? attributes : excludedAttributes).split(",");
        if (list.length > MAX_PATHS) {
            throw ScimException.invalidValue("At most " + MAX_PATHS + " attribute paths.");
        }
        return new ScimAttributes(Arrays.stream(list).map(String::strip).filter(path -> !path.isEmpty())
                .map(ScimAttributes::steps).toList(), excluding);
    }

    private static List<String> steps(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        for (String prefix : CORE_PREFIXES) {
            if (lower.startsWith(prefix)) {
                lower = lower.substring(prefix.length());
            }
        }
        List<String> steps = new ArrayList<>();
        if (lower.startsWith(ScimEnterpriseUser.LOWER_SCHEMA)) {
            steps.add(ScimEnterpriseUser.LOWER_SCHEMA);
            lower = lower.substring(ScimEnterpriseUser.LOWER_SCHEMA.length());
            if (lower.isEmpty()) {
                return steps;
            }
            if (!lower.startsWith(":")) {
                throw ScimException.invalidValue("'" + path + "' is not an attribute path.");
            }
            lower = lower.substring(1);
        }
        steps.addAll(Arrays.asList(lower.split("\\.", -1)));
        if (steps.stream().anyMatch(String::isEmpty)) {
            throw ScimException.invalidValue("'" + path + "' is not an attribute path.");
        }
        return steps;
    }

    /** Whether the answer holds this top-level attribute at all (a group's members need not be read otherwise). */
    boolean returns(String attribute) {
        String name = attribute.toLowerCase(Locale.ROOT);
        if (excluding) {
            return paths.stream().noneMatch(path -> path.size() == 1 && path.getFirst().equals(name));
        }
        return ALWAYS.contains(name) || paths.stream().anyMatch(path -> path.getFirst().equals(name));
    }

    JsonObject apply(JsonObject resource) {
        return paths.isEmpty() && excluding ? resource : project(resource, paths, true);
    }

    /** The object's attributes that remain, the paths taken relative to it. */
    private JsonObject project(JsonObject object, List<List<String>> relative, boolean top) {
        JsonObjectBuilder result = ScimJson.JSON.createObjectBuilder();
        for (Map.Entry<String, JsonValue> attribute : object.entrySet()) {
            String name = attribute.getKey().toLowerCase(Locale.ROOT);
            if (top && ALWAYS.contains(name)) {
                result.add(attribute.getKey(), attribute.getValue());
                continue;
            }
            List<List<String>> matching = relative.stream().filter(path -> path.getFirst().equals(name)).toList();
            boolean whole = matching.stream().anyMatch(path -> path.size() == 1);
            List<List<String>> deeper = matching.stream().filter(path -> path.size() > 1)
                    .map(path -> path.subList(1, path.size())).toList();
            JsonValue kept;
            if (excluding) {
                kept = whole ? null : deeper.isEmpty() ? attribute.getValue() : within(attribute.getValue(), deeper);
            } else {
                kept = whole ? attribute.getValue() : deeper.isEmpty() ? null : within(attribute.getValue(), deeper);
            }
            if (kept != null) {
                result.add(attribute.getKey(), kept);
            }
        }
        return result.build();
    }

    /** A complex attribute's sub-attributes that remain, in an object or in each object of an array. */
    private JsonValue within(JsonValue value, List<List<String>> relative) {
        if (value instanceof JsonObject object) {
            JsonObject projected = project(object, relative, false);
            return projected.isEmpty() && !excluding ? null : projected;
        }
        if (value instanceof JsonArray array) {
            JsonArrayBuilder projected = ScimJson.JSON.createArrayBuilder();
            array.forEach(item -> projected.add(item instanceof JsonObject object ? project(object, relative, false) : item));
            return projected.build();
        }
        return excluding ? value : null; // a sub-attribute of a simple attribute names nothing
    }
}
