package dev.gatehouse.lockout;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.UserQueries;
import dev.gatehouse.users.UserToChange;
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
 * /api/v1/users/{id}/lockout: a member's failed logins and wait ({@link LoginAttempts}), seen and cleared by an
 * admin with users:write. Clearing is an action on the account, refused (403) when the account holds
 * permissions the admin does not (DESIGN §6).
 */
@ApplicationScoped
@Path("/api/v1/users/{id}/lockout")
@Produces(MediaType.APPLICATION_JSON)
public class LockoutResource {

    /** failures: counted since the last success (0 when forgotten); locked_until: null when no wait is due. */
    public record LockoutResponse(UUID userId, int failures, Instant lastFailedAt, Instant lockedUntil) {
    }

    @Inject
    CurrentUser currentUser;

    @Inject
    UserQueries users;

    @Inject
    LoginAttempts attempts;

    @GET
    @RequiresPermission(value = "users:write", superuserBypass = true)
    public LockoutResponse get(@PathParam("id") String id) {
        UserToChange target = member(id);
        LoginAttempts.Failures failures = attempts.of(emailOf(target));
        return new LockoutResponse(target.member().user().id(), failures.count(), failures.lastFailedAt(),
                failures.locked() ? failures.lockedUntil() : null);
    }

    @DELETE
    @RequiresPermission(value = "users:write", superuserBypass = true)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response clear(@PathParam("id") String id) {
        CallerView caller = currentUser.get();
        UserToChange target = member(id);
        caller.requireMayChange("a user", target.member().membership().superuser(), target.permissions());
        UUID userId = target.member().user().id();
        attempts.clear(emailOf(target), SecurityEvent.of(SecurityEventType.LOCKOUT_CLEARED, caller.tenantId())
                .subjectUser(userId));
        return Response.noContent().build();
    }

    /** A member of the caller's tenant; anyone else (or an id that is no UUID) is 404. */
    private UserToChange member(String id) {
        UUID userId = Ids.parseOrNull(id);
        if (userId == null) {
            throw ProblemException.notFound("User");
        }
        return users.findToChange(userId, currentUser.tenantId()).orElseThrow(() -> ProblemException.notFound("User"));
    }

    private static String emailOf(UserToChange target) {
        return Emails.normalize(target.member().user().email());
    }
}
