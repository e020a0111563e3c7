package dev.gatehouse.users;

import dev.gatehouse.caller.CallerView;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * A user as the API shows it; field names as in the old core's UserResponse. {@code id} is the account's (the
 * same in every tenant), {@code tenant_id} the tenant that asks, {@code is_active} and {@code is_superuser}
 * that membership's; {@code email_verified}: a link mailed to the address was followed.
 */
@JsonbPropertyOrder({"id", "tenantId", "email", "emailVerified", "fullName", "active", "superuser", "oauthProvider", "createdAt", "updatedAt"})
public record UserResponse(
        UUID id,
        UUID tenantId,
        String email,
        boolean emailVerified,
        String fullName,
        @JsonbProperty("is_active") boolean active,
        @JsonbProperty("is_superuser") boolean superuser,
        @JsonbNillable String oauthProvider,
        Instant createdAt,
        Instant updatedAt) {

    /** The signed-in caller's own profile, from the view the request already holds: no statement. */
    public static UserResponse of(CallerView caller) {
        return new UserResponse(caller.id(), caller.tenantId(), caller.email(), caller.emailVerified(), caller.fullName(),
                caller.membershipActive(),
                caller.superuser(), caller.oauthProvider(), caller.createdAt(), caller.updatedAt());
    }
}
