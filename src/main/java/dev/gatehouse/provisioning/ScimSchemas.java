package dev.gatehouse.provisioning;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/**
 * The schemas (RFC 7643 §7) and resource types (§6) this service provider describes at /scim/v2/Schemas and
 * /ResourceTypes: the attributes Gatehouse keeps, with the mutability and uniqueness they have here. Each is
 * built for a base (the public base URL and /scim/v2), which its meta.location starts with.
 */
final class ScimSchemas {

    private static final String RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    private static final String SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

    private ScimSchemas() {
    }

    /** The User and Group resource types, in that order. */
    static List<JsonObject> resourceTypes(String base) {
        JsonObject user = ScimJson.JSON.createObjectBuilder()
                .add("schemas", array(RESOURCE_TYPE_SCHEMA))
                .add("id", "User").add("name", "User").add("endpoint", "/Users")
                .add("description", "A member of the tenant (an account's membership)")
                .add("schema", ScimUser.SCHEMA)
                .add("schemaExtensions", ScimJson.JSON.createArrayBuilder().add(ScimJson.JSON.createObjectBuilder()
                        .add("schema", ScimEnterpriseUser.SCHEMA).add("required", false)))
                .add("meta", meta(base, "ResourceType", "/ResourceTypes/User"))
                .build();
        JsonObject group = ScimJson.JSON.createObjectBuilder()
                .add("schemas", array(RESOURCE_TYPE_SCHEMA))
                .add("id", "Group").add("name", "Group").add("endpoint", "/Groups")
                .add("description", "A role of the tenant; its members hold it (read and PATCH of members only)")
                .add("schema", ScimGroupsResource.SCHEMA)
                .add("meta", meta(base, "ResourceType", "/ResourceTypes/Group"))
                .build();
        return List.of(user, group);
    }

    /** The core User schema, the enterprise-user extension and the core Group schema, in that order. */
    static List<JsonObject> schemas(String base) {
        return List.of(schema(base, ScimUser.SCHEMA, "User", "A member of the tenant", userAttributes()),
                schema(base, ScimEnterpriseUser.SCHEMA, "EnterpriseUser",
                        "What the tenant's directory keeps of a member's place in the organisation", enterpriseAttributes()),
                schema(base, ScimGroupsResource.SCHEMA, "Group", "A role of the tenant", groupAttributes()));
    }

    private static JsonArrayBuilder userAttributes() {
        return ScimJson.JSON.createArrayBuilder()
                .add(attribute("userName", "string", true, "readWrite", "server", false)
                        .add("description", "The account's email address: unique across Gatehouse"))
                .add(attribute("externalId", "string", false, "readWrite", "server", true)
                        .add("description", "The directory's id of the person, unique in the tenant"))
                .add(attribute("name", "complex", false, "readWrite", "none", false)
                        .add("subAttributes", ScimJson.JSON.createArrayBuilder()
                                .add(attribute("formatted", "string", false, "readWrite", "none", false))
                                .add(attribute("givenName", "string", false, "readWrite", "none", false))
                                .add(attribute("familyName", "string", false, "readWrite", "none", false))))
                .add(attribute("displayName", "string", false, "readWrite", "none", false)
                        .add("description", "The account's full name"))
                .add(attribute("emails", "complex", false, "readWrite", "none", false).add("multiValued", true)
                        .add("description", "One: the userName, type work, primary")
                        .add("subAttributes", ScimJson.JSON.createArrayBuilder()
                                .add(attribute("value", "string", false, "readWrite", "server", false))
                                .add(attribute("type", "string", false, "readWrite", "none", false))
                                .add(attribute("primary", "boolean", false, "readWrite", "none", false))))
                .add(attribute("active", "boolean", false, "readWrite", "none", false)
                        .add("description", "The membership's: false ends its sessions"));
    }

    private static JsonArrayBuilder enterpriseAttributes() {
        return ScimJson.JSON.createArrayBuilder()
                .add(attribute("employeeNumber", "string", false, "readWrite", "none", false))
                .add(attribute("costCenter", "string", false, "readWrite", "none", false))
                .add(attribute("organization", "string", false, "readWrite", "none", false))
                .add(attribute("division", "string", false, "readWrite", "none", false))
                .add(attribute("department", "string", false, "readWrite", "none", false))
                .add(attribute("manager", "complex", false, "readWrite", "none", false)
                        .add("description", "Another user of the tenant")
                        .add("subAttributes", ScimJson.JSON.createArrayBuilder()
                                .add(attribute("value", "string", false, "readWrite", "none", false)
                                        .add("description", "The manager's id"))
                                .add(attribute("$ref", "reference", false, "readOnly", "none", false)
                                        .add("referenceTypes", array("User")))));
    }

    private static JsonArrayBuilder groupAttributes() {
        return ScimJson.JSON.createArrayBuilder()
                .add(attribute("displayName", "string", true, "readOnly", "server", false)
                        .add("description", "The role's name: roles are named in Gatehouse"))
                .add(attribute("members", "complex", false, "readWrite", "none", false).add("multiValued", true)
                        .add("description", "The role's holders: users of the tenant")
                        .add("subAttributes", ScimJson.JSON.createArrayBuilder()
                                .add(attribute("value", "string", true, "immutable", "none", true))
                                .add(attribute("$ref", "reference", false, "immutable", "none", true))
                                .add(attribute("type", "string", false, "immutable", "none", false))));
    }

    private static JsonObject schema(String base, String id, String name, String description, JsonArrayBuilder attributes) {
        return ScimJson.JSON.createObjectBuilder()
                .add("schemas", array(SCHEMA_SCHEMA))
                .add("id", id).add("name", name).add("description", description)
                .add("attributes", attributes)
                .add("meta", meta(base, "Schema", "/Schemas/" + id))
                .build();
    }

    private static JsonObjectBuilder attribute(String name, String type, boolean required, String mutability,
                                               String uniqueness, boolean caseExact) {
        return ScimJson.JSON.createObjectBuilder().add("name", name).add("type", type).add("multiValued", false)
                .add("required", required).add("caseExact", caseExact).add("mutability", mutability)
                .add("returned", "default").add("uniqueness", uniqueness);
    }

    static JsonArrayBuilder array(String value) {
        return ScimJson.JSON.createArrayBuilder().add(value);
    }

    static JsonObjectBuilder meta(String base, String resourceType, String path) {
        return ScimJson.JSON.createObjectBuilder().add("resourceType", resourceType).add("location", base + path);
    }
}
