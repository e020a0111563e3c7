package dev.gatehouse.invitations;

import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.invitations.InvitationRecords.Acceptance;
import dev.gatehouse.invitations.InvitationRecords.InvitationList;
import dev.gatehouse.invitations.InvitationRecords.NewInvitation;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.http.RateLimited;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.sessions.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * /api/v1/invitations: tenant admins invite people (users:write; handing out roles also needs roles:manage
 * and every permission of those roles), list and revoke pending invitations; the invitee accepts with the
 * mail's token.
 */
@ApplicationScoped
@Path("/api/v1/invitations")
@Produces(MediaType.APPLICATION_JSON)
public class InvitationsResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    Invitations invitations;

    @Inject
    InvitationAcceptance acceptance;

    @Context
    HttpServletRequest request;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = "users:write", superuserBypass = true)
    public Response create(@Valid @NotNull NewInvitation body) {
        if (body.roleIds() != null && !body.roleIds().isEmpty()) {
            currentUser.requirePermission("roles:manage", true);
        }
        return Response.status(Response.Status.CREATED).entity(invitations.create(currentUser.get(), body)).build();
    }

    @GET
    @RequiresPermission(value = "users:read", superuserBypass = true)
    public InvitationList list() {
        return new InvitationList(invitations.pending(currentUser.tenantId()));
    }

    @DELETE
    @Path("/{id}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    @RequiresPermission(value = "users:write", superuserBypass = true)
    public Response revoke(@PathParam("id") String id) {
        UUID invitationId = Ids.parseOrNull(id);
        if (invitationId == null) {
            throw ProblemException.notFound("Invitation");
        }
        invitations.revoke(currentUser.get(), invitationId);
        return Response.noContent().build();
    }

    @POST
    @Path("/accept")
    @RateLimited("account-mail")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response accept(@Valid @NotNull Acceptance body) {
        UUID provenAccount = acceptance.proveExistingAccount(body);
        return Response.status(Response.Status.CREATED).entity(acceptance.accept(body, provenAccount, ClientInfo.of(request)))
                .build();
    }
}
