package dev.gatehouse.provisioning;

import static dev.gatehouse.provisioning.ScimJson.ok;

import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.http.RateLimited;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * /scim/v2/Users: the tenant's members as SCIM users, for the directory whose token the request carries; every
 * answer holding users takes attributes and excludedAttributes (ScimAttributes). Bodies
 * are read and written as JSON-P here (SCIM's names are camelCase, the rest of the API's JSON binding snake_case),
 * in application/scim+json (application/json is accepted too).
 */
@ApplicationScoped
@Path("/scim/v2/Users")
@ScimAuthenticated
@RateLimited(ScimAuthentication.ADDRESS_LIMIT)
@Produces({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimUsersResource {

    @Inject
    ScimCaller caller;

    @Inject
    ScimUsers users;

    @Inject
    ScimMembers members;

    @Inject
    @ConfigProperty(name = "gatehouse.public-base-url")
    String publicBaseUrl;

    @GET
    public Response list(@QueryParam("filter") String filter, @QueryParam("startIndex") String startIndex,
                         @QueryParam("count") String count, @QueryParam("sortBy") String sortBy,
                         @QueryParam("sortOrder") String sortOrder, @QueryParam("attributes") String attributes,
                         @QueryParam("excludedAttributes") String excludedAttributes) {
        return list(ScimListRequest.of(filter, startIndex, count, sortBy, sortOrder, attributes, excludedAttributes));
    }

    /** RFC 7644 §3.4.3: the query in a body, which keeps filters out of URLs and their logs; the same answer as GET. */
    @POST
    @Path("/.search")
    @Consumes({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response search(String body) {
        return list(ScimListRequest.of(ScimJson.object(body)));
    }

    private Response list(ScimListRequest request) {
        ScimMembers.Page page = members.page(caller.directory().tenantId(), request);
        return ok(ScimJson.listResponse(page.users().stream()
                .map(user -> request.attributes().apply(user.toJson(usersLocation()))).toList(),
                page.total(), request.startIndex()));
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id, @QueryParam("attributes") String attributes,
                        @QueryParam("excludedAttributes") String excludedAttributes) {
        ScimAttributes returned = ScimAttributes.of(attributes, excludedAttributes);
        return ok(returned.apply(members.find(caller.directory().tenantId(), userId(id))
                .orElseThrow(() -> ScimException.notFound("User")).toJson(usersLocation())));
    }

    @POST
    @Consumes({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response create(String body, @QueryParam("attributes") String attributes,
                           @QueryParam("excludedAttributes") String excludedAttributes) {
        ScimAttributes returned = ScimAttributes.of(attributes, excludedAttributes);
        ScimUser created = users.create(caller.directory(), ScimUser.fromJson(ScimJson.object(body)));
        return Response.created(URI.create(usersLocation() + created.id())).type(ScimJson.MEDIA_TYPE)
                .entity(returned.apply(created.toJson(usersLocation())).toString()).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response replace(@PathParam("id") String id, String body, @QueryParam("attributes") String attributes,
                            @QueryParam("excludedAttributes") String excludedAttributes) {
        ScimAttributes returned = ScimAttributes.of(attributes, excludedAttributes);
        ScimUser replaced = users.replace(caller.directory(), userId(id), ScimUser.fromJson(ScimJson.object(body)));
        return ok(returned.apply(replaced.toJson(usersLocation())));
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response patch(@PathParam("id") String id, String body, @QueryParam("attributes") String attributes,
                          @QueryParam("excludedAttributes") String excludedAttributes) {
        ScimAttributes returned = ScimAttributes.of(attributes, excludedAttributes);
        ScimUser patched = users.patch(caller.directory(), userId(id), ScimJson.object(body));
        return ok(returned.apply(patched.toJson(usersLocation())));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        users.delete(caller.directory(), userId(id));
        return Response.noContent().build();
    }

    /** Where users are: a user's location is this and its id. */
    private String usersLocation() {
        return publicBaseUrl + "/scim/v2/Users/";
    }

    /** An id that is not one names no user: 404, as an unknown one. */
    private static UUID userId(String id) {
        UUID userId = Ids.parseOrNull(id);
        if (userId == null) {
            throw ScimException.notFound("User");
        }
        return userId;
    }
}
