package dev.gatehouse.provisioning;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * /scim/v2/ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4): exactly what this service provider
 * implements, so that a directory does not try the rest. Behind the SCIM token like the users: the base URL is
 * one per deployment and the answers say nothing a directory without a token needs.
 */
@ApplicationScoped
@Path("/scim/v2")
@ScimAuthenticated
@Produces({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimDiscoveryResource {

    private static final String CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    private static final String RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    private static final String SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

    @Inject
    @ConfigProperty(name = "gatehouse.public-base-url")
    String publicBaseUrl;

    @GET
    @Path("/ServiceProviderConfig")
    public Response serviceProviderConfig() {
        return ok(ScimJson.JSON.createObjectBuilder()
                .add("schemas", array(CONFIG_SCHEMA))
                .add("patch", supported(true))
                .add("bulk", supported(false).add("maxOperations", 0).add("maxPayloadSize", 0))
                .add("filter", supported(true).add("maxResults", ScimUsersResource.MAX_COUNT))
                .add("changePassword", supported(false))
                .add("sort", supported(false))
                .add("etag", supported(false))
                .add("authenticationSchemes", ScimJson.JSON.createArrayBuilder().add(ScimJson.JSON.createObjectBuilder()
                        .add("type", "oauthbearertoken").add("name", "SCIM token")
                        .add("description", "A bearer token issued by the tenant's admins at /api/v1/scim-tokens")
                        .add("primary", true)))
                .add("meta", meta("ServiceProviderConfig", "/ServiceProviderConfig"))
                .build());
    }

    @GET
    @Path("/ResourceTypes")
    public Response resourceTypes() {
        JsonObject user = ScimJson.JSON.createObjectBuilder()
                .add("schemas", array(RESOURCE_TYPE_SCHEMA))
                .add("id", "User").add("name", "User").add("endpoint", "/Users")
                .add("description", "A member of the tenant (an account's membership)")
                .add("schema", ScimUser.SCHEMA)
                .add("meta", meta("ResourceType", "/ResourceTypes/User"))
                .build();
        JsonObject group = ScimJson.JSON.createObjectBuilder()
                .add("schemas", array(RESOURCE_TYPE_SCHEMA))
                .add("id", "Group").add("name", "Group").add("endpoint", "/Groups")
                .add("description", "A role of the tenant; its members hold it (read and PATCH of members only)")
                .add("schema", ScimGroupsResource.SCHEMA)
                .add("meta", meta("ResourceType", "/ResourceTypes/Group"))
                .build();
        return ok(list(user, group));
    }

    @GET
    @Path("/Schemas")
    public Response schemas() {
        JsonArrayBuilder attributes = ScimJson.JSON.createArrayBuilder()
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
        JsonObject user = ScimJson.JSON.createObjectBuilder()
                .add("schemas", array(SCHEMA_SCHEMA))
                .add("id", ScimUser.SCHEMA).add("name", "User").add("description", "A member of the tenant")
                .add("attributes", attributes)
                .add("meta", meta("Schema", "/Schemas/" + ScimUser.SCHEMA))
                .build();
        JsonObject group = ScimJson.JSON.createObjectBuilder()
                .add("schemas", array(SCHEMA_SCHEMA))
                .add("id", ScimGroupsResource.SCHEMA).add("name", "Group").add("description", "A role of the tenant")
                .add("attributes", ScimJson.JSON.createArrayBuilder()
                        .add(attribute("displayName", "string", true, "readOnly", "server", false)
                                .add("description", "The role's name: roles are named in Gatehouse"))
                        .add(attribute("members", "complex", false, "readWrite", "none", false).add("multiValued", true)
                                .add("description", "The role's holders: users of the tenant")
                                .add("subAttributes", ScimJson.JSON.createArrayBuilder()
                                        .add(attribute("value", "string", true, "immutable", "none", true))
                                        .add(attribute("$ref", "reference", false, "immutable", "none", true))
                                        .add(attribute("type", "string", false, "immutable", "none", false)))))
                .add("meta", meta("Schema", "/Schemas/" + ScimGroupsResource.SCHEMA))
                .build();
        return ok(list(user, group));
    }

    private static JsonObjectBuilder attribute(String name, String type, boolean required, String mutability,
                                               String uniqueness, boolean caseExact) {
        return ScimJson.JSON.createObjectBuilder().add("name", name).add("type", type).add("multiValued", false)
                .add("required", required).add("caseExact", caseExact).add("mutability", mutability)
                .add("returned", "default").add("uniqueness", uniqueness);
    }

    private static JsonObjectBuilder supported(boolean supported) {
        return ScimJson.JSON.createObjectBuilder().add("supported", supported);
    }

    private static JsonArrayBuilder array(String value) {
        return ScimJson.JSON.createArrayBuilder().add(value);
    }

    private JsonObjectBuilder meta(String resourceType, String path) {
        return ScimJson.JSON.createObjectBuilder().add("resourceType", resourceType)
                .add("location", publicBaseUrl + "/scim/v2" + path);
    }

    /** A ListResponse of the User and the Group resource's description. */
    private static JsonObject list(JsonObject user, JsonObject group) {
        return ScimJson.JSON.createObjectBuilder().add("schemas", array(ScimJson.LIST_RESPONSE))
                .add("totalResults", 2).add("itemsPerPage", 2).add("startIndex", 1)
                .add("Resources", ScimJson.JSON.createArrayBuilder().add(user).add(group)).build();
    }

    private static Response ok(JsonObject body) {
        return Response.ok(body.toString(), ScimJson.MEDIA_TYPE).build();
    }
}
