package dev.gatehouse.users;

import java.time.Instant;
import java.util.UUID;

/** A row of a member list page: the account as the tenant sees it, and the tenant's total, counted over the window of the same query. */
public record UserListRow(UUID id, UUID tenantId, String email, boolean emailVerified, String fullName, boolean active, boolean superuser,
                          String oauthProvider, Instant createdAt, Instant updatedAt, long total) {

    UserResponse toResponse() {
        return new UserResponse(id, tenantId, email, emailVerified, fullName, active, superuser, oauthProvider, createdAt, updatedAt);
    }
}
