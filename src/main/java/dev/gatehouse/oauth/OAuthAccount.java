package dev.gatehouse.oauth;

import java.util.UUID;

/** An account as the OAuth sign-in needs it: one projection, never the entity with its tenant. */
public record OAuthAccount(UUID userId, UUID tenantId, int tokenVersion, boolean superuser, boolean active,
                           boolean tenantActive, String oauthProvider) {
}
