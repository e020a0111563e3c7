package dev.gatehouse.mfa;

import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** An admin's reset of a member's second factor (a root path of its own, as {@link MfaResource}'s). */
@ApplicationScoped
@Path("/api/v1/users/{id}/mfa")
public class MfaAdminResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    MultiFactor multiFactor;

    @POST
    @Path("/reset")
    @RequiresPermission(value = "users:write", superuserBypass = true)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response reset(@PathParam("id") String id) {
        UUID userId = Ids.parseOrNull(id);
        if (userId == null) {
            throw ProblemException.notFound("User");
        }
        multiFactor.reset(currentUser.get(), userId);
        return Response.noContent().build();
    }
}
