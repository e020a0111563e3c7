package dev.gatehouse.caller;

import java.util.UUID;

/**
 * Announces, inside the transaction that makes it, a change to what a cached caller holds: one user's
 * account or roles ({@link #user}), or a tenant and every caller in it ({@link #tenant}). Fired as a CDI
 * event; {@link CallerCache} observes it after a successful commit, so the changing request's next request
 * on this instance sees the change. Other instances learn of it from the database triggers (V4 migration),
 * which also cover a change whose code forgot to announce it, within a notification's delivery.
 */
public record CallerChanged(UUID userId, UUID tenantId) {

    public static CallerChanged user(UUID userId) {
        return new CallerChanged(userId, null);
    }

    public static CallerChanged tenant(UUID tenantId) {
        return new CallerChanged(null, tenantId);
    }
}
