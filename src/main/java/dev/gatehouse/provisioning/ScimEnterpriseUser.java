package dev.gatehouse.provisioning;

import dev.gatehouse.platform.Ids;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What a member's enterprise-user extension (RFC 7643 §4.3) holds, as this tenant's directory sent it
 * (scim_members): the strings, and the manager as the SCIM id of another member of the tenant. manager's
 * displayName and $ref are the service provider's to fill in, so only its value is read.
 */
record ScimEnterpriseUser(String employeeNumber, String costCenter, String organization, String division,
                          String department, UUID manager) {

    static final String SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    /** The schema in lower case, as attribute paths are compared. */
    static final String LOWER_SCHEMA = SCHEMA.toLowerCase(Locale.ROOT);
    static final ScimEnterpriseUser NONE = new ScimEnterpriseUser(null, null, null, null, null, null);

    /** The extension of a POST or PUT body (its key in any case), NONE when absent. */
    static ScimEnterpriseUser fromJson(JsonObject body) {
        JsonValue extension = body.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(SCHEMA))
                .map(Map.Entry::getValue).findFirst().orElse(JsonValue.NULL);
        if (extension.getValueType() == JsonValue.ValueType.NULL) {
            return NONE;
        }
        return NONE.withAll(extension);
    }

    /** This extension with each attribute of the object set (PATCH's add and replace of the whole extension). */
    ScimEnterpriseUser withAll(JsonValue extension) {
        if (!(extension instanceof JsonObject attributes)) {
            throw ScimException.invalidValue(SCHEMA + " must be an object.");
        }
        ScimEnterpriseUser result = this;
        for (Map.Entry<String, JsonValue> attribute : attributes.entrySet()) {
            result = result.with(attribute.getKey(), attribute.getValue());
        }
        return result;
    }

    /**
     * This extension with one attribute set (null or JSON null: removed). manager takes {"value": id} or, as
     * Entra ID sends it, the id alone; manager.value the id.
     */
    ScimEnterpriseUser with(String attribute, JsonValue value) {
        String name = attribute.strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "employeenumber" -> new ScimEnterpriseUser(text(value, "employeeNumber"), costCenter, organization, division, department, manager);
            case "costcenter" -> new ScimEnterpriseUser(employeeNumber, text(value, "costCenter"), organization, division, department, manager);
            case "organization" -> new ScimEnterpriseUser(employeeNumber, costCenter, text(value, "organization"), division, department, manager);
            case "division" -> new ScimEnterpriseUser(employeeNumber, costCenter, organization, text(value, "division"), department, manager);
            case "department" -> new ScimEnterpriseUser(employeeNumber, costCenter, organization, division, text(value, "department"), manager);
            case "manager", "manager.value" -> new ScimEnterpriseUser(employeeNumber, costCenter, organization, division, department,
                    managerId(value instanceof JsonObject reference ? reference.get("value") : value));
            case "manager.displayname", "manager.$ref" -> this; // the service provider's: ignored, as RFC 7643 §2.2 lets it
            default -> throw ScimException.invalidPath("The enterprise extension has no attribute " + attribute + ".");
        };
    }

    /** Adds the extension to a user, when it holds anything. */
    void addTo(JsonObjectBuilder user, String usersLocation) {
        if (equals(NONE)) {
            return;
        }
        JsonObjectBuilder extension = ScimJson.JSON.createObjectBuilder();
        add(extension, "employeeNumber", employeeNumber);
        add(extension, "costCenter", costCenter);
        add(extension, "organization", organization);
        add(extension, "division", division);
        add(extension, "department", department);
        if (manager != null) {
            extension.add("manager", ScimJson.JSON.createObjectBuilder().add("value", manager.toString())
                    .add("$ref", usersLocation + manager));
        }
        user.add(SCHEMA, extension);
    }

    private static void add(JsonObjectBuilder extension, String name, String value) {
        if (value != null) {
            extension.add(name, value);
        }
    }

    private static String text(JsonValue value, String attribute) {
        String text = ScimUser.string(value, attribute);
        return text == null || text.isBlank() ? null : text;
    }

    private static UUID managerId(JsonValue value) {
        String text = text(value, "manager.value");
        if (text == null) {
            return null;
        }
        UUID id = Ids.parseOrNull(text.strip());
        if (id == null) {
            throw ScimException.invalidValue("manager.value must be the id of a user of this tenant.");
        }
        return id;
    }
}
