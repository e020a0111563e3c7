package dev.gatehouse.users;

import java.time.Instant;
import java.util.UUID;

/**
 * What a request needs to know about its caller, read with one JPQL constructor expression per request
 * (never the User entity with its tenant): live state for the token check, and the profile fields so that
 * GET /users/me needs no second statement.
 */
public record UserAuthView(UUID id, UUID tenantId, String email, String fullName, boolean active,
                           boolean tenantActive, boolean superuser, String oauthProvider, int tokenVersion,
                           Instant createdAt, Instant updatedAt) {

    public UserResponse toResponse() {
        return new UserResponse(id, tenantId, email, fullName, active, superuser, oauthProvider, createdAt, updatedAt);
    }
}
