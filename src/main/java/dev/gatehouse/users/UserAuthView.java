package dev.gatehouse.users;

import dev.gatehouse.access.Permissions;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * What a request needs to know about its caller, read with one JPQL constructor expression when the caller
 * cache (auth/CallerCache) does not hold it
 * (never the User entity with its tenant and roles): live state for the token check, the permissions of the
 * caller's roles (aggregated in the same statement), and the profile fields so that GET /users/me needs no
 * second statement.
 */
public record UserAuthView(UUID id, UUID tenantId, String email, String fullName, boolean active,
                           boolean tenantActive, boolean superuser, String oauthProvider, int tokenVersion,
                           Instant createdAt, Instant updatedAt, Set<String> permissions) {

    /** The constructor the query calls: permissions arrive as one comma-separated aggregate. */
    public UserAuthView(UUID id, UUID tenantId, String email, String fullName, boolean active, boolean tenantActive,
                        boolean superuser, String oauthProvider, int tokenVersion, Instant createdAt, Instant updatedAt,
                        String permissionList) {
        this(id, tenantId, email, fullName, active, tenantActive, superuser, oauthProvider, tokenVersion, createdAt,
                updatedAt, Permissions.parse(permissionList));
    }

    public UserResponse toResponse() {
        return new UserResponse(id, tenantId, email, fullName, active, superuser, oauthProvider, createdAt, updatedAt);
    }
}
