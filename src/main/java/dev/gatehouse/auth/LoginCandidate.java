package dev.gatehouse.auth;

import java.util.UUID;

/** What a login needs to know about one account matching the email: a projection, not the entity. */
public record LoginCandidate(UUID userId, UUID tenantId, String passwordHash, int tokenVersion, boolean superuser,
                             boolean active, boolean tenantActive) {
}
