package dev.gatehouse.caller;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * What a request needs to know about its caller, read with one JPQL constructor expression ({@link CallerQuery})
 * when the caller cache does not hold it, never the User entity with its tenant and roles: live state for the
 * token check, the permissions of the caller's roles (aggregated in the same statement), and the profile
 * fields, so that GET /users/me needs no second statement.
 */
public record CallerView(UUID id, UUID tenantId, String email, String fullName, boolean active,
                         boolean tenantActive, boolean superuser, String oauthProvider, int tokenVersion,
                         Instant createdAt, Instant updatedAt, Set<String> permissions) {

    /** The constructor the query calls: permissions arrive as one comma-separated aggregate. */
    public CallerView(UUID id, UUID tenantId, String email, String fullName, boolean active, boolean tenantActive,
                      boolean superuser, String oauthProvider, int tokenVersion, Instant createdAt, Instant updatedAt,
                      String permissionList) {
        this(id, tenantId, email, fullName, active, tenantActive, superuser, oauthProvider, tokenVersion, createdAt,
                updatedAt, Permissions.parse(permissionList));
    }
}
