package dev.gatehouse.users;

import java.util.UUID;

/**
 * Fired inside the transaction of a change that ends every session of a user (deactivation, a new
 * password): sessions/RefreshTokens observes it and revokes the user's refresh tokens in the same
 * transaction. The change itself raises the token version, which ends the access tokens.
 */
public record AllSessionsRevoked(UUID userId) {
}
