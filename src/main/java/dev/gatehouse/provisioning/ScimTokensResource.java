package dev.gatehouse.provisioning;

import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.provisioning.ScimTokenRecords.NewScimToken;
import dev.gatehouse.provisioning.ScimTokenRecords.ScimTokenList;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** /api/v1/scim-tokens: the tokens the caller's tenant gives its directory for /scim/v2. */
@ApplicationScoped
@Path("/api/v1/scim-tokens")
@Produces(MediaType.APPLICATION_JSON)
public class ScimTokensResource {

    private static final String MANAGE = "scim:manage";

    @Inject
    CurrentUser currentUser;

    @Inject
    ScimTokens tokens;

    @Inject
    @ConfigProperty(name = "gatehouse.public-base-url")
    String publicBaseUrl;

    @GET
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    public ScimTokenList list() {
        return new ScimTokenList(tokens.list(currentUser.tenantId()));
    }

    /** A new token, shown in this answer only, with the base URL to give the directory. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    public Response issue(@Valid @NotNull NewScimToken request) {
        return Response.status(Response.Status.CREATED)
                .entity(tokens.issue(currentUser.get(), request, publicBaseUrl + "/scim/v2")).build();
    }

    @DELETE
    @Path("/{id}")
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response revoke(@PathParam("id") String id) {
        tokens.revoke(currentUser.get(), id);
        return Response.noContent().build();
    }
}
