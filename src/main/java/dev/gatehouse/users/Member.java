package dev.gatehouse.users;

import dev.gatehouse.tenants.Membership;

/** An account with its membership in the tenant that asks: what the admin endpoints show and change. */
public record Member(User user, Membership membership) {

    public UserResponse toResponse() {
        return user.toResponse(membership);
    }
}
