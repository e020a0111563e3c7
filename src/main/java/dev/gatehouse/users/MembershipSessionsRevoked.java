package dev.gatehouse.users;

import java.util.UUID;

/**
 * Fired inside the transaction that deactivates a membership: sessions/RefreshTokens observes it and revokes
 * the account's refresh tokens of that tenant in the same transaction. The person's sessions in their other
 * tenants live on; their access tokens of this tenant are refused by the caller check (inactive membership).
 */
public record MembershipSessionsRevoked(UUID userId, UUID tenantId) {
}
