package dev.gatehouse.caller;

import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What a request needs to know about its caller, an account in the tenant its token is for (one membership) or
 * a service account of that tenant ({@code serviceAccount}),
 * read with one JPQL constructor expression ({@link CallerQuery}) when the caller cache does not hold it,
 * never the entities: live state for the token check (account, membership and tenant active, the ids of the
 * membership's live sessions), the permissions of the caller's roles in this tenant (aggregated in the same
 * statement), and the profile fields, so that GET /users/me needs no second statement. {@code superuser} is
 * the membership's.
 */
public record CallerView(UUID id, UUID tenantId, String email, boolean emailVerified, String fullName, boolean accountActive,
                         boolean membershipActive, boolean tenantActive, boolean superuser, String oauthProvider,
                         int tokenVersion, Instant createdAt, Instant updatedAt, Set<String> permissions,
                         Set<UUID> sessions, boolean serviceAccount) {

    /** Service accounts have no token version: their tokens carry this one, and revocation goes by credential. */
    public static final int SERVICE_ACCOUNT_TOKEN_VERSION = 0;

    /** The constructor the person's query calls: permissions and live session ids arrive as comma-separated aggregates. */
    public CallerView(UUID id, UUID tenantId, String email, boolean emailVerified, String fullName, boolean accountActive,
                      boolean membershipActive, boolean tenantActive, boolean superuser, String oauthProvider,
                      int tokenVersion, Instant createdAt, Instant updatedAt, String permissionList, String sessionList) {
        this(id, tenantId, email, emailVerified, fullName, accountActive, membershipActive, tenantActive, superuser, oauthProvider,
                tokenVersion, createdAt, updatedAt, Permissions.parse(permissionList), sessionIds(sessionList), false);
    }

    /**
     * The constructor the service account's query calls: a machine of one tenant, no email, never a superuser,
     * whose "sessions" are its live credentials (a token names the credential it was issued for, in sid).
     */
    public CallerView(UUID id, UUID tenantId, String name, boolean active, boolean tenantActive, Instant createdAt,
                      Instant updatedAt, String permissionList, String credentialList) {
        this(id, tenantId, null, false, name, active, true, tenantActive, false, null, SERVICE_ACCOUNT_TOKEN_VERSION,
                createdAt, updatedAt, Permissions.parse(permissionList), sessionIds(credentialList), true);
    }

    /** Account, membership and tenant all active: the caller may act in this tenant. */
    public boolean usable() {
        return accountActive && membershipActive && tenantActive;
    }

    private static Set<UUID> sessionIds(String aggregate) {
        return aggregate == null || aggregate.isEmpty() ? Set.of()
                : Arrays.stream(aggregate.split(",")).map(UUID::fromString).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Whether this caller may change a member (or role) of this tenant with these powers (the target's
     * superuser flag and role permissions in this tenant): nobody changes what holds permissions they do not
     * hold, and only a superuser changes a superuser.
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
            throw new ProblemException(ProblemType.PRIVILEGE_ESCALATION, targetSuperuser
                    ? "Only a superuser can change a superuser."
                    : "You cannot change " + what + " that holds permissions you do not hold.");
        }
    }
}
