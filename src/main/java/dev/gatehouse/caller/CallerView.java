package dev.gatehouse.caller;

import dev.gatehouse.platform.problems.ProblemException;
import jakarta.ws.rs.core.Response.Status;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What a request needs to know about its caller, read with one JPQL constructor expression ({@link CallerQuery})
 * when the caller cache does not hold it, never the User entity with its tenant and roles: live state for the
 * token check (with the ids of the live sessions), the permissions of the caller's roles (aggregated in the
 * same statement), and the profile fields, so that GET /users/me needs no second statement.
 */
public record CallerView(UUID id, UUID tenantId, String email, String fullName, boolean active,
                         boolean tenantActive, boolean superuser, String oauthProvider, int tokenVersion,
                         Instant createdAt, Instant updatedAt, Set<String> permissions, Set<UUID> sessions) {

    /** The constructor the query calls: permissions and live session ids arrive as comma-separated aggregates. */
    public CallerView(UUID id, UUID tenantId, String email, String fullName, boolean active, boolean tenantActive,
                      boolean superuser, String oauthProvider, int tokenVersion, Instant createdAt, Instant updatedAt,
                      String permissionList, String sessionList) {
        this(id, tenantId, email, fullName, active, tenantActive, superuser, oauthProvider, tokenVersion, createdAt,
                updatedAt, Permissions.parse(permissionList), sessionIds(sessionList));
    }

    private static Set<UUID> sessionIds(String aggregate) {
        return aggregate == null || aggregate.isEmpty() ? Set.of()
                : Arrays.stream(aggregate.split(",")).map(UUID::fromString).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Whether this caller may change an account (or role) with these powers: nobody changes what holds
     * permissions they do not hold, and only a superuser changes a superuser.
     */
    public boolean mayChange(boolean targetSuperuser, Collection<String> targetPermissions) {
        if (superuser) {
            return true;
        }
        return !targetSuperuser && targetPermissions.stream().allMatch(p -> Permissions.implies(permissions, p));
    }

    /** 403 unless {@link #mayChange}. */
    public void requireMayChange(String what, boolean targetSuperuser, Collection<String> targetPermissions) {
        if (!mayChange(targetSuperuser, targetPermissions)) {
            throw new ProblemException(Status.FORBIDDEN, "privilege-escalation", targetSuperuser
                    ? "Only a superuser can change a superuser."
                    : "You cannot change " + what + " that holds permissions you do not hold.");
        }
    }
}
