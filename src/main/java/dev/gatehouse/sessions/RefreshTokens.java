package dev.gatehouse.sessions;

import dev.gatehouse.access.Role;
import dev.gatehouse.platform.Housekeeping;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.users.AllSessionsRevoked;
import dev.gatehouse.users.MembershipSessionsRevoked;
import dev.gatehouse.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * Opaque refresh tokens: 256 random bits, stored as SHA-256, rotated on every use. A rotated-out (or
 * otherwise revoked) token presented again revokes every live token of its family (RFC 9700 §4.14.2),
 * except within the reuse interval: a rotated-out token presented again within
 * gatehouse.refresh.reuse-interval-seconds of its rotation, while its successor is still unused, gets that
 * same successor (a retry of a refresh whose answer was lost; {@link SuccessorEncryption} keeps it).
 * Each token carries its session's state: the account's token version at login, so a rotation that races a
 * revocation cannot outlive it, and the session's start, so no rotation extends it past its maximum age.
 * Callers run inside the request's transaction.
 */
@ApplicationScoped
public class RefreshTokens {

    @Inject
    EntityManager em;

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.refresh-token-days")
    int lifetimeDays;

    @Inject
    @ConfigProperty(name = "gatehouse.session.max-days")
    int sessionMaxDays;

    @Inject
    @ConfigProperty(name = "gatehouse.refresh.reuse-interval-seconds")
    int reuseIntervalSeconds;

    /**
     * The session of a token that was just rotated out, its owner's state as the rotation read them, and its
     * successor: the token to hand out, and the id of its row.
     */
    public record Rotated(UUID familyId, Instant sessionStartedAt, UUID userId, UUID tenantId, int tokenVersion,
                          List<String> roles, boolean usable, boolean emailVerified, UUID successorId, String successor,
                          String amr, OAuthClientBinding binding) {
    }

    /** A session a revocation ended: whose, in which tenant, which. */
    public record EndedSession(UUID userId, UUID tenantId, UUID sessionId) {
    }

    /**
     * The session a browser signed in with at the hosted sign-in page (openid/), whose refresh token is its
     * cookie: whose, in which tenant it began, since when, by which methods.
     */
    public record BrowserSession(UUID id, UUID userId, UUID tenantId, String email, Instant startedAt, String amr) {
    }

    /** A live session of a user: its newest token tells where and when it was last used. */
    public record LiveSession(UUID id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String userAgent,
                              String clientAddress) {
    }

    /**
     * Starts a new session (a login, registration, switch-tenant or OAuth sign-in) for one membership and
     * returns its first token. {@code sessionStartedAt}: when the person signed in (now, but for a switch).
     * The same statement marks the membership as the account's last used one (memberships.last_used_at, which
     * a login without a tenant picks): no statement of its own.
     */
    public String start(UUID userId, UUID tenantId, UUID familyId, int tokenVersion, Instant sessionStartedAt,
                        ClientInfo client, String amr, OAuthClientBinding binding) {
        String token = RandomTokens.newToken();
        em.createNativeQuery("""
                        with used as (update memberships set last_used_at = ?12 where user_id = ?2 and tenant_id = ?3)
                        insert into refresh_tokens (id, user_id, tenant_id, token_hash, family_id, token_version,
                                                    session_started_at, expires_at, created_at, created_by_ip, user_agent, amr,
                                                    oauth_client_id, browser_session)
                        values (?4, ?2, ?3, ?5, ?6, ?7, ?1, ?8, ?12, ?9, ?10, ?11, ?13, ?14)""")
                .setParameter(1, sessionStartedAt).setParameter(2, userId).setParameter(3, tenantId)
                .setParameter(4, Ids.newId()).setParameter(5, RandomTokens.sha256(token)).setParameter(6, familyId)
                .setParameter(7, tokenVersion).setParameter(8, expiry(sessionStartedAt))
                .setParameter(9, new TypedParameterValue<>(StandardBasicTypes.STRING, client.ip()))
                .setParameter(10, new TypedParameterValue<>(StandardBasicTypes.STRING, client.userAgent()))
                .setParameter(11, amr)
                .setParameter(12, Timestamps.now())
                .setParameter(13, new TypedParameterValue<>(StandardBasicTypes.UUID, binding == null ? null : binding.clientId()))
                .setParameter(14, new TypedParameterValue<>(StandardBasicTypes.UUID, binding == null ? null : binding.browserSession()))
                .executeUpdate();
        return token;
    }

    /**
     * The session of this refresh token when it is live (not revoked, not expired, under the account's current
     * token version, the account active), without rotating it: the hosted sign-in page's single sign-on.
     */
    public Optional<BrowserSession> liveBrowserSession(String token) {
        List<Tuple> rows = em.createNativeQuery("""
                        select t.family_id, t.user_id, t.tenant_id, u.email, t.session_started_at, t.amr
                        from refresh_tokens t join users u on u.id = t.user_id
                        where t.token_hash = ?1 and t.revoked_at is null and t.expires_at > now()
                          and t.token_version = u.token_version and u.is_active and t.oauth_client_id is null""", Tuple.class)
                .setParameter(1, RandomTokens.sha256(token)).getResultList();
        return rows.stream().findFirst().map(row -> new BrowserSession(row.get("family_id", UUID.class),
                row.get("user_id", UUID.class), row.get("tenant_id", UUID.class), row.get("email", String.class),
                Timestamps.instant(row.get("session_started_at")), row.get("amr", String.class)));
    }

    /** Continues a session: stores the successor that {@link #rotateOut} chose. */
    public void rotateIn(Rotated rotated, ClientInfo client) {
        User owner = em.getReference(User.class, rotated.userId());
        em.persist(new RefreshToken(rotated.successorId(), owner, rotated.tenantId(), RandomTokens.sha256(rotated.successor()),
                rotated.familyId(), rotated.tokenVersion(), rotated.sessionStartedAt(), expiry(rotated.sessionStartedAt()),
                client, rotated.amr(), rotated.binding()));
    }

    /** After the refresh token lifetime, or at the session's maximum age if that comes first. */
    private Instant expiry(Instant sessionStartedAt) {
        Instant expiresAt = Instant.now().plus(Duration.ofDays(lifetimeDays));
        Instant sessionEnd = sessionStartedAt.plus(Duration.ofDays(sessionMaxDays));
        return expiresAt.isBefore(sessionEnd) ? expiresAt : sessionEnd;
    }

    /**
     * Revokes the token if it is live and returns its session and owner's state, in one statement. Live means
     * not revoked, not expired, and issued under the account's current token version. The row lock makes
     * concurrent rotations of one token serial: exactly one of them sees it live. The same statement records
     * the successor (its id, and its token encrypted for the reuse interval; nothing when that is off).
     */
    public Optional<Rotated> rotateOut(String token, UUID oauthClientId) {
        UUID successorId = Ids.newId();
        String successor = RandomTokens.newToken();
        byte[] sealed = reuseIntervalSeconds > 0 ? SuccessorEncryption.seal(token, successorId, successor) : null;
        List<Tuple> rows = em.createNativeQuery("""
                        update refresh_tokens t set revoked_at = now(), successor_id = ?2, successor_ciphertext = ?3
                        from users u, memberships m, tenants tn
                        where t.token_hash = ?1 and t.revoked_at is null and t.expires_at > now() and u.id = t.user_id
                          and m.user_id = t.user_id and m.tenant_id = t.tenant_id and tn.id = t.tenant_id
                          and t.token_version = u.token_version and t.oauth_client_id is not distinct from ?4
                        returning t.family_id, t.session_started_at, u.id as user_id, t.tenant_id, u.token_version,
                                  t.oauth_client_id, t.browser_session,
                                  (select string_agg(r.name, ',' order by r.name)
                                   from user_roles ur join roles r on r.id = ur.role_id
                                   where ur.user_id = u.id and r.tenant_id = t.tenant_id) as roles,
                                  u.is_active and m.is_active and tn.is_active as usable, u.email_verified, t.amr""", Tuple.class)
                .setParameter(1, RandomTokens.sha256(token))
                .setParameter(2, successorId)
                .setParameter(3, new TypedParameterValue<>(StandardBasicTypes.BINARY, sealed))
                .setParameter(4, new TypedParameterValue<>(StandardBasicTypes.UUID, oauthClientId))
                .getResultList();
        return rows.stream().findFirst().map(row -> rotated(row, successorId, successor));
    }

    /**
     * The reuse interval: the rotation that took this token out, when it happened within the interval and its
     * successor is still live (unused, not revoked, not expired, under the account's current token version),
     * with the owner's state read now; one statement. The successor's row is share-locked, so a concurrent
     * rotation of the successor either commits first (and this finds nothing) or waits for this transaction.
     */
    public Optional<Rotated> rotatedWithinReuseInterval(String token, UUID oauthClientId) {
        if (reuseIntervalSeconds <= 0) {
            return Optional.empty();
        }
        List<Tuple> rows = em.createNativeQuery("""
                        select s.family_id, s.session_started_at, u.id as user_id, s.tenant_id, u.token_version,
                               (select string_agg(r.name, ',' order by r.name)
                                from user_roles ur join roles r on r.id = ur.role_id
                                where ur.user_id = u.id and r.tenant_id = s.tenant_id) as roles,
                               u.is_active and m.is_active and tn.is_active as usable, u.email_verified, s.amr,
                               s.id as successor_id, p.successor_ciphertext, s.oauth_client_id, s.browser_session
                        from refresh_tokens p
                        join refresh_tokens s on s.id = p.successor_id
                        join users u on u.id = s.user_id
                        join memberships m on m.user_id = s.user_id and m.tenant_id = s.tenant_id
                        join tenants tn on tn.id = s.tenant_id
                        where p.token_hash = ?1 and p.successor_ciphertext is not null
                          and p.revoked_at > now() - make_interval(secs => ?2)
                          and s.revoked_at is null and s.expires_at > now() and s.token_version = u.token_version
                          and s.oauth_client_id is not distinct from ?3
                        for share of s""", Tuple.class)
                .setParameter(1, RandomTokens.sha256(token))
                .setParameter(2, reuseIntervalSeconds)
                .setParameter(3, new TypedParameterValue<>(StandardBasicTypes.UUID, oauthClientId))
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Tuple row = rows.getFirst();
        UUID successorId = row.get("successor_id", UUID.class);
        return SuccessorEncryption.open(token, successorId, row.get("successor_ciphertext", byte[].class))
                .map(successor -> rotated(row, successorId, successor));
    }

    /** A row of {@link #rotateOut} or {@link #rotatedWithinReuseInterval}: both name their columns alike. */
    private static Rotated rotated(Tuple row, UUID successorId, String successor) {
        return new Rotated(row.get("family_id", UUID.class), Timestamps.instant(row.get("session_started_at")),
                row.get("user_id", UUID.class), row.get("tenant_id", UUID.class),
                row.get("token_version", Number.class).intValue(), Role.names(row.get("roles", String.class)),
                row.get("usable", Boolean.class), row.get("email_verified", Boolean.class), successorId, successor,
                row.get("amr", String.class), OAuthClientBinding.of(row.get("oauth_client_id", UUID.class),
                        row.get("browser_session", UUID.class)));
    }

    /**
     * Reuse detection: a token that is no longer live revokes whatever is still live in its family. Returns
     * the session when that ended it.
     */
    public Optional<EndedSession> revokeFamilyOf(String token) {
        return endedSession(em.createNativeQuery("""
                        update refresh_tokens set revoked_at = now()
                        where revoked_at is null
                          and family_id = (select family_id from refresh_tokens where token_hash = ?1)
                        returning user_id, tenant_id, family_id""", Tuple.class)
                .setParameter(1, RandomTokens.sha256(token))
                .getResultList());
    }

    /**
     * Logout: the session of the token ends, whatever the token's state: any token of a family, rotated out
     * or not, names its session. Unknown tokens are ignored. Returns the session when it was still live.
     */
    public Optional<EndedSession> revoke(String token) {
        return endedSession(em.createNativeQuery("""
                        update refresh_tokens set revoked_at = now()
                        where revoked_at is null
                          and family_id = (select family_id from refresh_tokens where token_hash = ?1)
                        returning user_id, tenant_id, family_id""", Tuple.class)
                .setParameter(1, RandomTokens.sha256(token))
                .getResultList());
    }

    /**
     * An OAuth client ends one of its own sessions (RFC 7009), named by any refresh token of it or by its id;
     * nothing happens to a session of another client or of none. Returns the session when it was live.
     */
    public Optional<EndedSession> revokeOfClient(String token, UUID familyId, UUID oauthClientId) {
        return endedSession(em.createNativeQuery("""
                        update refresh_tokens set revoked_at = now()
                        where revoked_at is null and oauth_client_id = ?3
                          and family_id = coalesce(?2, (select family_id from refresh_tokens where token_hash = ?1))
                        returning user_id, tenant_id, family_id""", Tuple.class)
                .setParameter(1, new TypedParameterValue<>(StandardBasicTypes.BINARY, token == null ? null : RandomTokens.sha256(token)))
                .setParameter(2, new TypedParameterValue<>(StandardBasicTypes.UUID, familyId))
                .setParameter(3, oauthClientId)
                .getResultList());
    }

    /** Every live session of an OAuth client ends (the client is deleted); answers how many tokens it revoked. */
    public int revokeAllOfClient(UUID oauthClientId) {
        return em.createNativeQuery("update refresh_tokens set revoked_at = now() where oauth_client_id = ?1 and revoked_at is null")
                .setParameter(1, oauthClientId).executeUpdate();
    }

    /**
     * RP-initiated logout: the browser's sign-in session and every client session that came from it. Returns the
     * browser session when it was still live.
     */
    public Optional<EndedSession> revokeBrowserSession(UUID userId, UUID browserSession) {
        List<Tuple> rows = em.createNativeQuery("""
                        update refresh_tokens set revoked_at = now()
                        where revoked_at is null and user_id = ?1 and (family_id = ?2 or browser_session = ?2)
                        returning user_id, tenant_id, family_id""", Tuple.class)
                .setParameter(1, userId).setParameter(2, browserSession)
                .getResultList();
        return endedSession(rows.stream().filter(row -> browserSession.equals(row.get("family_id", UUID.class))).toList());
    }

    /** A user ends one of their own sessions; false when they have no such live session. */
    public boolean revokeSession(UUID userId, UUID familyId) {
        return em.createNativeQuery("""
                        update refresh_tokens set revoked_at = now()
                        where user_id = ?1 and family_id = ?2 and revoked_at is null""")
                .setParameter(1, userId).setParameter(2, familyId)
                .executeUpdate() > 0;
    }

    /** Logout-all, and a change to the account that ends every session (observed in its transaction). */
    void revokeAllOf(@Observes AllSessionsRevoked revoked) {
        revokeAllOf(revoked.userId());
    }

    /** A deactivated membership: its sessions end, the account's sessions in other tenants live on. */
    void revokeMembershipSessions(@Observes MembershipSessionsRevoked revoked) {
        em.createQuery("""
                        update RefreshToken t set t.revokedAt = :now
                        where t.user.id = :user and t.tenantId = :tenant and t.revokedAt is null""")
                .setParameter("now", Instant.now())
                .setParameter("user", revoked.userId())
                .setParameter("tenant", revoked.tenantId())
                .executeUpdate();
    }

    public void revokeAllOf(UUID userId) {
        em.createQuery("update RefreshToken t set t.revokedAt = :now where t.user.id = :user and t.revokedAt is null")
                .setParameter("now", Instant.now())
                .setParameter("user", userId)
                .executeUpdate();
    }

    void purges(@Observes Housekeeping.Purges purges, RefreshTokens tokens) {
        purges.retention("expired refresh token(s)", tokens::purgeExpired);
    }

    /**
     * Deletes up to {@code batch} tokens past their expiry (rotated, revoked or unused: none can be used
     * again) and answers how many. Instances that run this at once skip each other's rows.
     */
    @Transactional
    public int purgeExpired(int batch) {
        return em.createNativeQuery("""
                        delete from refresh_tokens where id in (
                            select id from refresh_tokens where expires_at < now() limit ?1 for update skip locked)""")
                .setParameter(1, batch)
                .executeUpdate();
    }

    /** The user's live sessions, most recently used first: one statement. */
    public List<LiveSession> liveSessionsOf(UUID userId) {
        List<Tuple> rows = em.createNativeQuery("""
                        select family_id, session_started_at, created_at, expires_at, user_agent, created_by_ip
                        from refresh_tokens
                        where user_id = ?1 and revoked_at is null and expires_at > now()
                        order by created_at desc""", Tuple.class)
                .setParameter(1, userId)
                .getResultList();
        return rows.stream().map(row -> new LiveSession(row.get("family_id", UUID.class),
                Timestamps.instant(row.get("session_started_at")), Timestamps.instant(row.get("created_at")),
                Timestamps.instant(row.get("expires_at")), row.get("user_agent", String.class),
                row.get("created_by_ip", String.class))).toList();
    }

    private static Optional<EndedSession> endedSession(List<Tuple> rows) {
        return rows.stream().findFirst().map(row -> new EndedSession(row.get("user_id", UUID.class),
                row.get("tenant_id", UUID.class), row.get("family_id", UUID.class)));
    }
}
