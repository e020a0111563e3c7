package dev.gatehouse.provisioning;

import static dev.gatehouse.provisioning.ScimJson.ok;

import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.http.RateLimited;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * /scim/v2/Groups: the tenant's roles as SCIM groups (ScimGroups). Read and PATCH only: a directory puts people
 * in roles and takes them out, and links its groups to roles by displayName; it does not create, rename or
 * delete roles (POST, PUT and DELETE are 405). {@code excludedAttributes=members}, which Entra ID sends, leaves
 * the members out, and unread (ScimAttributes.returns).
 */
@ApplicationScoped
@Path("/scim/v2/Groups")
@ScimAuthenticated
@RateLimited(ScimAuthentication.ADDRESS_LIMIT)
@Produces({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimGroupsResource {

    static final String SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

    @Inject
    ScimCaller caller;

    @Inject
    ScimGroups groups;

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

    /** RFC 7644 §3.4.3: the query in a body; the same answer as GET. */
    @POST
    @Path("/.search")
    @Consumes({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response search(String body) {
        return list(ScimListRequest.of(ScimJson.object(body)));
    }

    private Response list(ScimListRequest request) {
        ScimGroups.Page page = groups.page(caller.directory().tenantId(), request, request.attributes().returns("members"));
        return ok(ScimJson.listResponse(page.groups().stream().map(group -> request.attributes().apply(json(group))).toList(),
                page.total(), request.startIndex()));
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id, @QueryParam("attributes") String attributes,
                        @QueryParam("excludedAttributes") String excludedAttributes) {
        ScimAttributes returned = ScimAttributes.of(attributes, excludedAttributes);
        return ok(returned.apply(json(groups.find(caller.directory().tenantId(), roleId(id), returned.returns("members"))
                .orElseThrow(() -> ScimException.notFound("Group")))));
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public Response patch(@PathParam("id") String id, String body, @QueryParam("attributes") String attributes,
                          @QueryParam("excludedAttributes") String excludedAttributes) {
        ScimAttributes returned = ScimAttributes.of(attributes, excludedAttributes);
        return ok(returned.apply(json(groups.patch(caller.directory(), roleId(id), ScimGroupPatch.of(ScimJson.object(body))))));
    }

    private JsonObject json(ScimGroups.Group group) {
        JsonObjectBuilder json = ScimJson.JSON.createObjectBuilder()
                .add("schemas", ScimJson.JSON.createArrayBuilder().add(SCHEMA))
                .add("id", group.id().toString()).add("displayName", group.displayName());
        if (group.members() != null) {
            JsonArrayBuilder members = ScimJson.JSON.createArrayBuilder();
            group.members().forEach(member -> members.add(ScimJson.JSON.createObjectBuilder().add("value", member.toString())
                    .add("$ref", publicBaseUrl + "/scim/v2/Users/" + member).add("type", "User")));
            json.add("members", members);
        }
        return json.add("meta", ScimJson.JSON.createObjectBuilder().add("resourceType", "Group")
                .add("created", group.created().toString()).add("lastModified", group.lastModified().toString())
                .add("location", publicBaseUrl + "/scim/v2/Groups/" + group.id())).build();
    }

    private static UUID roleId(String id) {
        UUID roleId = Ids.parseOrNull(id);
        if (roleId == null) {
            throw ScimException.notFound("Group");
        }
        return roleId;
    }
}
