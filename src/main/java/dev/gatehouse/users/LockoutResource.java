package dev.gatehouse.users;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.UUID;

/**
 * /api/v1/users/{id}/lockout: a member's failed attempts and wait ({@link LoginAttempts}), seen and cleared by
 * an admin with users:write. The count belongs to the account, so both are account-wide ({@link AccountChanges}):
 * refused (409) for an account that belongs to another tenant too, and (403) for one that holds permissions
 * the admin does not.
 */
@ApplicationScoped
@Path("/api/v1/users/{id}/lockout")
@Produces(MediaType.APPLICATION_JSON)
public class LockoutResource {

    /**
     * failures: attempts counted since the last success, over every client address (0 when forgotten);
     * locked_until: the latest wait of any address, null when none is due.
     */
    public record LockoutResponse(UUID userId, int failures, Instant lastFailedAt, Instant lockedUntil) {
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    AccountChanges accounts;

    @Inject
    LoginAttempts attempts;

    @GET
    @RequiresPermission(value = "users:write", superuserBypass = true)
    public LockoutResponse get(@PathParam("id") String id) {
        User user = accountOf(currentUser.get(), id);
        LoginAttempts.Failures failures = attempts.of(Emails.normalize(user.email()));
        return new LockoutResponse(user.id(), failures.count(), failures.lastFailedAt(), failures.lockedUntil());
    }

    @DELETE
    @RequiresPermission(value = "users:write", superuserBypass = true)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response clear(@PathParam("id") String id) {
        CallerView caller = currentUser.get();
        User user = accountOf(caller, id);
        attempts.clear(Emails.normalize(user.email()), SecurityEvent.of(SecurityEventType.LOCKOUT_CLEARED, caller.tenantId())
                .subjectUser(user.id()));
        return Response.noContent().build();
    }

    /** The account of a member of the caller's tenant that the caller may change; anyone else is 404. */
    private User accountOf(CallerView caller, String id) {
        UUID userId = Ids.parseOrNull(id);
        if (userId == null) {
            throw ProblemException.notFound("User");
        }
        return accounts.accountToChange(caller, userId).user();
    }
}
