package dev.gatehouse.provisioning;

import dev.gatehouse.platform.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * /scim/v2/Users: the tenant's members as SCIM users, for the directory whose token the request carries. Bodies
 * are read and written as JSON-P here (SCIM's names are camelCase, the rest of the API's JSON binding snake_case),
 * in application/scim+json (application/json is accepted too).
 */
@ApplicationScoped
@Path("/scim/v2/Users")
@ScimAuthenticated
@Produces({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimUsersResource {

    static final int MAX_COUNT = 200;

    @Inject
    ScimCaller caller;

    @Inject
    ScimUsers users;

    @Inject
    ScimMembers members;

    @Inject
    @ConfigProperty(name = "gatehouse.public-base-url")
    String publicBaseUrl;

    /**
     * startIndex below 1 is 1, count above {@link #MAX_COUNT} is MAX_COUNT and below 0 is 0 (RFC 7644
     * §3.4.2.4); a value that is not a number is 400.
     */
    @GET
    public Response list(@QueryParam("filter") String filter, @QueryParam("startIndex") String startIndex,
                         @QueryParam("count") String count) {
        ScimFilter parsed = filter == null || filter.isBlank() ? null : ScimFilterParser.parse(filter);
        int start = Math.max(1, number(startIndex, 1, "startIndex"));
        int size = Math.clamp(number(count, MAX_COUNT, "count"), 0, MAX_COUNT);
        ScimMembers.Page page = members.page(caller.directory().tenantId(), parsed, start, size);
        JsonArrayBuilder resources = ScimJson.JSON.createArrayBuilder();
        page.users().forEach(user -> resources.add(user.toJson(location(user.id()))));
        return ok(ScimJson.JSON.createObjectBuilder()
                .add("schemas", ScimJson.JSON.createArrayBuilder().add(ScimJson.LIST_RESPONSE))
                .add("totalResults", page.total()).add("startIndex", start).add("itemsPerPage", page.users().size())
                .add("Resources", resources).build());
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        return ok(members.find(caller.directory().tenantId(), userId(id)).orElseThrow(() -> ScimException.notFound("User"))
                .toJson(location(userId(id))));
    }

    @POST
    @Consumes({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response create(String body) {
        ScimUser created = users.create(caller.directory(), ScimUser.fromJson(object(body)));
        String location = location(created.id());
        return Response.created(URI.create(location)).type(ScimJson.MEDIA_TYPE).entity(created.toJson(location).toString()).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response replace(@PathParam("id") String id, String body) {
        ScimUser replaced = users.replace(caller.directory(), userId(id), ScimUser.fromJson(object(body)));
        return ok(replaced.toJson(location(replaced.id())));
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response patch(@PathParam("id") String id, String body) {
        ScimUser patched = users.patch(caller.directory(), userId(id), object(body));
        return ok(patched.toJson(location(patched.id())));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        users.delete(caller.directory(), userId(id));
        return Response.noContent().build();
    }

    private String location(UUID id) {
        return publicBaseUrl + "/scim/v2/Users/" + id;
    }

    private static Response ok(JsonObject body) {
        return Response.ok(body.toString(), ScimJson.MEDIA_TYPE).build();
    }

    /** An id that is not one names no user: 404, as an unknown one. */
    private static UUID userId(String id) {
        UUID userId = Ids.parseOrNull(id);
        if (userId == null) {
            throw ScimException.notFound("User");
        }
        return userId;
    }

    static int number(String value, int otherwise, String parameter) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ScimException.invalidValue(parameter + " must be an integer.");
        }
    }

    /** The body as a JSON object; anything else is 400 invalidSyntax. */
    static JsonObject object(String body) {
        if (body == null || body.isBlank()) {
            throw ScimException.invalidSyntax("The request needs a JSON body.");
        }
        try (JsonReader reader = ScimJson.JSON.createReader(new StringReader(body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw ScimException.invalidSyntax("The body is not a JSON object.");
        }
    }
}
