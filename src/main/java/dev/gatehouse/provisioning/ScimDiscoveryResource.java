package dev.gatehouse.provisioning;

import static dev.gatehouse.provisioning.ScimJson.ok;

import dev.gatehouse.platform.http.RateLimited;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * /scim/v2/ServiceProviderConfig, /ResourceTypes and /Schemas, as lists and one by one (RFC 7644 §4): exactly
 * what this service provider implements (ScimSchemas), so that a directory does not try the rest. Behind the
 * SCIM token like the users: the base URL is one per deployment and the answers say nothing a directory
 * without a token needs.
 */
@ApplicationScoped
@Path("/scim/v2")
@ScimAuthenticated
@RateLimited(ScimAuthentication.ADDRESS_LIMIT)
@Produces({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimDiscoveryResource {

    private static final String CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

    @Inject
    @ConfigProperty(name = "gatehouse.public-base-url")
    String publicBaseUrl;

    @GET
    @Path("/ServiceProviderConfig")
    public Response serviceProviderConfig() {
        return ok(ScimJson.JSON.createObjectBuilder()
                .add("schemas", ScimSchemas.array(CONFIG_SCHEMA))
                .add("patch", supported(true))
                .add("bulk", supported(false).add("maxOperations", 0).add("maxPayloadSize", 0))
                .add("filter", supported(true).add("maxResults", ScimListRequest.MAX_COUNT))
                .add("changePassword", supported(false))
                .add("sort", supported(true))
                .add("etag", supported(false))
                .add("authenticationSchemes", ScimJson.JSON.createArrayBuilder().add(ScimJson.JSON.createObjectBuilder()
                        .add("type", "oauthbearertoken").add("name", "SCIM token")
                        .add("description", "A bearer token issued by the tenant's admins at /api/v1/scim-tokens")
                        .add("primary", true)))
                .add("meta", ScimSchemas.meta(base(), "ServiceProviderConfig", "/ServiceProviderConfig"))
                .build());
    }

    @GET
    @Path("/ResourceTypes")
    public Response resourceTypes() {
        List<JsonObject> types = ScimSchemas.resourceTypes(base());
        return ok(ScimJson.listResponse(types, types.size(), 1));
    }

    @GET
    @Path("/ResourceTypes/{name}")
    public Response resourceType(@PathParam("name") String name) {
        return ok(ScimSchemas.resourceTypes(base()).stream().filter(type -> type.getString("id").equals(name)).findFirst()
                .orElseThrow(() -> ScimException.notFound("ResourceType")));
    }

    @GET
    @Path("/Schemas")
    public Response schemas() {
        List<JsonObject> schemas = ScimSchemas.schemas(base());
        return ok(ScimJson.listResponse(schemas, schemas.size(), 1));
    }

    /** A schema by its URN, in any case (RFC 7643 §10.2.1: URNs compare without case). */
    @GET
    @Path("/Schemas/{id}")
    public Response schema(@PathParam("id") String id) {
        return ok(ScimSchemas.schemas(base()).stream().filter(schema -> schema.getString("id").equalsIgnoreCase(id)).findFirst()
                .orElseThrow(() -> ScimException.notFound("Schema")));
    }

    private static JsonObjectBuilder supported(boolean supported) {
        return ScimJson.JSON.createObjectBuilder().add("supported", supported);
    }

    private String base() {
        return publicBaseUrl + "/scim/v2";
    }
}
