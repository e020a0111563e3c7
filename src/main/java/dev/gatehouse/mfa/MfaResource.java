package dev.gatehouse.mfa;

import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.mfa.MfaRecords.CodeRequest;
import dev.gatehouse.mfa.MfaRecords.DisableRequest;
import dev.gatehouse.mfa.MfaRecords.MfaPolicy;
import dev.gatehouse.mfa.MfaRecords.RecoveryCodes;
import dev.gatehouse.mfa.MfaRecords.TotpEnrolment;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.users.UserQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** Multi-factor authentication of the signed-in caller, an admin's reset of a member's, and the tenant's policy. */
@ApplicationScoped
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class MfaResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    MultiFactor multiFactor;

    @Inject
    UserQueries users;

    @POST
    @Path("/users/me/mfa/totp")
    public TotpEnrolment startEnrolment() {
        String email = users.findInTenant(currentUser.id(), currentUser.tenantId()).orElseThrow().user().email();
        return multiFactor.start(currentUser.id(), email);
    }

    @POST
    @Path("/users/me/mfa/totp/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    public RecoveryCodes confirmEnrolment(@Valid @NotNull CodeRequest body) {
        return new RecoveryCodes(multiFactor.confirm(currentUser.id(), currentUser.tenantId(), body.code()));
    }

    @DELETE
    @Path("/users/me/mfa/totp")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response disable(@Valid @NotNull DisableRequest body) {
        multiFactor.disable(currentUser.get(), body.password(), body.code());
        return Response.noContent().build();
    }

    @POST
    @Path("/users/me/mfa/recovery-codes")
    @Consumes(MediaType.APPLICATION_JSON)
    public RecoveryCodes regenerateRecoveryCodes(@Valid @NotNull CodeRequest body) {
        return new RecoveryCodes(multiFactor.regenerateRecoveryCodes(currentUser.get(), body.code()));
    }

    @POST
    @Path("/users/{id}/mfa/reset")
    @RequiresPermission(value = "users:write", superuserBypass = true)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response reset(@PathParam("id") String id) {
        UUID userId = Ids.parseOrNull(id);
        if (userId == null) {
            throw ProblemException.notFound("User");
        }
        multiFactor.reset(currentUser.get(), userId);
        return Response.noContent().build();
    }

    @GET
    @Path("/tenant/mfa-policy")
    @RequiresPermission(value = "tenant:manage", superuserBypass = true)
    public MfaPolicy policy() {
        return multiFactor.policy(currentUser.tenantId());
    }

    @PUT
    @Path("/tenant/mfa-policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = "tenant:manage", superuserBypass = true)
    public MfaPolicy changePolicy(@Valid @NotNull MfaPolicy body) {
        return multiFactor.changePolicy(currentUser.get(), body);
    }
}
