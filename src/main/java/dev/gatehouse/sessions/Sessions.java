package dev.gatehouse.sessions;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.tokens.AccessTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/** Sessions: a refresh-token family with the access tokens issued from it. Each method is one transaction. */
@ApplicationScoped
public class Sessions {

    @Inject
    EntityManager em;

    @Inject
    AccessTokens accessTokens;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    Event<CallerChanged> callerChanges;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    VerifiedEmailRequirement verifiedEmail;

    /**
     * A new session of one membership (the access token's tenant) after a successful login, registration,
     * switch-tenant or OAuth sign-in; the membership becomes the account's last used. {@code upgradedHash}, when not null, replaces
     * a password hash made with weaker parameters than today's, in the same transaction. {@code amr}: the
     * session's authentication methods (RFC 8176), space separated, kept by every rotation.
     */
    @Transactional
    public TokenResponse start(UUID userId, UUID tenantId, int tokenVersion, Collection<String> roles, ClientInfo client,
                               String upgradedHash, String amr) {
        if (upgradedHash != null) {
            em.createQuery("update User u set u.passwordHash = :hash where u.id = :id")
                    .setParameter("hash", upgradedHash).setParameter("id", userId).executeUpdate();
        }
        return begin(Ids.newId(), userId, tenantId, tokenVersion, roles, client, amr, Timestamps.now(), null);
    }

    /**
     * A new session in another tenant for a signed-in person (switch-tenant): it keeps the sign-in's time
     * ({@code authenticatedAt}), so it is no fresher for a sensitive change and ends at the same maximum age.
     * Null (a token from before the auth_time claim): now, as before the claim.
     */
    @Transactional
    public TokenResponse startSwitched(UUID userId, UUID tenantId, int tokenVersion, Collection<String> roles,
                                       ClientInfo client, String amr, Instant authenticatedAt) {
        return begin(Ids.newId(), userId, tenantId, tokenVersion, roles, client, amr,
                authenticatedAt == null ? Timestamps.now() : authenticatedAt, null);
    }

    /**
     * A new session for an OAuth client (openid/: the authorization-code grant) with the id the caller chose, so
     * that a replayed code can end it. It keeps the time the person signed in at the sign-in page.
     */
    @Transactional
    public TokenResponse startForClient(UUID sessionId, UUID userId, UUID tenantId, int tokenVersion, Collection<String> roles,
                                        ClientInfo client, String amr, Instant authenticatedAt, OAuthClientBinding binding) {
        return begin(sessionId, userId, tenantId, tokenVersion, roles, client, amr, authenticatedAt, binding);
    }

    private TokenResponse begin(UUID sessionId, UUID userId, UUID tenantId, int tokenVersion, Collection<String> roles,
                                ClientInfo client, String amr, Instant authenticatedAt, OAuthClientBinding binding) {
        String refreshToken = refreshTokens.start(userId, tenantId, sessionId, tokenVersion, authenticatedAt, client, amr, binding);
        return TokenResponse.bearer(accessTokens.issue(userId, tenantId, sessionId, tokenVersion, roles, amr, authenticatedAt),
                refreshToken, accessTokens.lifetimeSeconds());
    }

    /**
     * Rotation: the presented token dies and a new one of the same family is issued. A retry of a rotation
     * whose answer was lost (the presented token rotated out within the reuse interval, its successor unused)
     * gets that same successor, with an access token of the same session. Any other token that is not live
     * (rotated out earlier or with its successor used, logged out, expired, issued before a revocation of all
     * sessions, unknown) is a reuse: refused, and the refusal revokes its family and so that session's access
     * tokens, which is why this transaction commits even when it answers 401.
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public TokenResponse refresh(String presented, ClientInfo client) {
        return refresh(presented, client, null);
    }

    /**
     * Rotation for an OAuth client ({@code oauthClientId}; null: the v1 API's own refresh): a token of another
     * client's session, or of none when a client presents it, is not live for it, and so counts as reused.
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public TokenResponse refresh(String presented, ClientInfo client, UUID oauthClientId) {
        Optional<RefreshTokens.Rotated> rotated = refreshTokens.rotateOut(presented, oauthClientId);
        if (rotated.isPresent()) {
            requireUsable(rotated.get());
            refreshTokens.rotateIn(rotated.get(), client);
            return tokensOf(rotated.get());
        }
        Optional<RefreshTokens.Rotated> retried = refreshTokens.rotatedWithinReuseInterval(presented, oauthClientId);
        if (retried.isPresent()) {
            requireUsable(retried.get());
            return tokensOf(retried.get());
        }
        // reuse detection: the one place a token that is not live ends its family
        refreshTokens.revokeFamilyOf(presented).ifPresent(ended -> {
            callerChanges.fire(CallerChanged.user(ended.userId()));
            securityEvents.record(SecurityEvent.of(SecurityEventType.REFRESH_REUSE_DETECTED, ended.tenantId())
                    .actor(null).subjectUser(ended.userId()).failed().detail("session_id", ended.sessionId().toString()));
        });
        throw invalidRefreshToken();
    }

    /** Account, membership and tenant active, and the email verified if that is required. */
    private void requireUsable(RefreshTokens.Rotated rotated) {
        if (!rotated.usable() || !verifiedEmail.allows(rotated.emailVerified())) {
            throw invalidRefreshToken();
        }
    }

    /** The successor refresh token, and a new access token of the same session. */
    private TokenResponse tokensOf(RefreshTokens.Rotated rotated) {
        String accessToken = accessTokens.issue(rotated.userId(), rotated.tenantId(), rotated.familyId(),
                rotated.tokenVersion(), rotated.roles(), rotated.amr(), rotated.sessionStartedAt());
        return TokenResponse.bearer(accessToken, rotated.successor(), accessTokens.lifetimeSeconds());
    }

    /** Ends the session of this refresh token, its access tokens included. */
    @Transactional
    public void logout(String refreshToken) {
        refreshTokens.revoke(refreshToken).ifPresent(ended -> {
            callerChanges.fire(CallerChanged.user(ended.userId()));
            securityEvents.record(SecurityEvent.of(SecurityEventType.LOGOUT, ended.tenantId())
                    .actor(ended.userId()).subjectUser(ended.userId()).detail("session_id", ended.sessionId().toString()));
        });
    }

    /** A user ends one of their own sessions, its access tokens included; 404 when they have no such session. */
    @Transactional
    public void end(UUID userId, UUID tenantId, UUID sessionId) {
        if (sessionId == null || !endIfLive(userId, sessionId)) {
            throw ProblemException.notFound("Session");
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.SESSION_REVOKED, tenantId)
                .subjectUser(userId).detail("session_id", sessionId.toString()));
    }

    /**
     * RFC 7009: an OAuth client ends one of its sessions, named by a refresh token of it or, for an access token,
     * by its id (sid); a token of another client's session, or of none, changes nothing.
     */
    @Transactional
    public void revokeForClient(String refreshToken, UUID sessionId, UUID oauthClientId) {
        refreshTokens.revokeOfClient(refreshToken, sessionId, oauthClientId).ifPresent(ended -> {
            callerChanges.fire(CallerChanged.user(ended.userId()));
            securityEvents.record(SecurityEvent.of(SecurityEventType.SESSION_REVOKED, ended.tenantId()).actor(null)
                    .subjectUser(ended.userId()).detail("session_id", ended.sessionId().toString())
                    .detail("client_id", oauthClientId.toString()));
        });
    }

    /** Ends the session, its access tokens included, if it is still live; false when it was not. */
    @Transactional
    public boolean endIfLive(UUID userId, UUID sessionId) {
        if (!refreshTokens.revokeSession(userId, sessionId)) {
            return false;
        }
        callerChanges.fire(CallerChanged.user(userId));
        return true;
    }

    /**
     * Ends a browser's sign-in session (openid/'s RP-initiated logout) and every client session that came from it,
     * their access tokens included. Returns the browser session when it was still live.
     */
    @Transactional
    public Optional<RefreshTokens.EndedSession> endBrowserSession(UUID userId, UUID browserSession) {
        Optional<RefreshTokens.EndedSession> ended = refreshTokens.revokeBrowserSession(userId, browserSession);
        callerChanges.fire(CallerChanged.user(userId));
        return ended;
    }

    /** Ends every session of the user: refresh tokens revoked, access tokens refused from the next request. */
    @Transactional
    public void endAll(UUID userId, UUID tenantId) {
        refreshTokens.revokeAllOf(userId);
        em.createQuery("update User u set u.tokenVersion = u.tokenVersion + 1 where u.id = :id")
                .setParameter("id", userId).executeUpdate();
        callerChanges.fire(CallerChanged.user(userId));
        securityEvents.record(SecurityEvent.of(SecurityEventType.LOGOUT_ALL, tenantId).subjectUser(userId));
    }

    private static ProblemException invalidRefreshToken() {
        return new ProblemException(ProblemType.INVALID_REFRESH_TOKEN, "The refresh token is invalid, expired or revoked.");
    }
}
