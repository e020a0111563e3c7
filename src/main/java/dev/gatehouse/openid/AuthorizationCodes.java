package dev.gatehouse.openid;

import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * The table authorization_codes. A code is 256 random bits, kept as SHA-256, lives {@link #LIFETIME_SECONDS} and
 * is redeemed once; a redeemed code stays an hour after its expiry, so that a second redemption is recognised
 * as a replay and ends what the first one started (RFC 6749 §4.1.2).
 */
@ApplicationScoped
public class AuthorizationCodes {

    static final int LIFETIME_SECONDS = 60;

    /** What a code stands for. */
    record Grant(UUID clientId, String redirectUri, String codeChallenge, UUID userId, UUID tenantId, UUID browserSession,
                 String scope, String nonce, String amr, Instant authenticatedAt) {
    }

    /** A code presented again: whose it was, and the session its first redemption started (null if none). */
    record Replay(UUID userId, UUID tenantId, UUID sessionId, UUID clientId) {
    }

    @Inject
    EntityManager em;

    @Transactional
    public String issue(Grant grant) {
        String code = RandomTokens.newToken();
        em.createNativeQuery("""
                        insert into authorization_codes (code_hash, client_id, redirect_uri, code_challenge, user_id, tenant_id,
                            browser_session, scope, nonce, amr, authenticated_at, expires_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, now() + make_interval(secs => ?12))""")
                .setParameter(1, RandomTokens.sha256(code)).setParameter(2, grant.clientId())
                .setParameter(3, grant.redirectUri()).setParameter(4, grant.codeChallenge())
                .setParameter(5, grant.userId()).setParameter(6, grant.tenantId()).setParameter(7, grant.browserSession())
                .setParameter(8, grant.scope()).setParameter(9, new TypedParameterValue<>(StandardBasicTypes.STRING, grant.nonce()))
                .setParameter(10, grant.amr()).setParameter(11, grant.authenticatedAt()).setParameter(12, LIFETIME_SECONDS)
                .executeUpdate();
        return code;
    }

    /** Marks a live, unredeemed code redeemed and answers what it stands for; one statement, so one redemption wins. */
    Optional<Grant> redeem(String code) {
        List<Tuple> rows = em.createNativeQuery("""
                        update authorization_codes set redeemed_at = now()
                        where code_hash = ?1 and redeemed_at is null and expires_at > now()
                        returning client_id, redirect_uri, code_challenge, user_id, tenant_id, browser_session, scope, nonce,
                                  amr, authenticated_at""", Tuple.class)
                .setParameter(1, RandomTokens.sha256(code)).getResultList();
        return rows.stream().findFirst().map(row -> new Grant(row.get("client_id", UUID.class),
                row.get("redirect_uri", String.class), row.get("code_challenge", String.class), row.get("user_id", UUID.class),
                row.get("tenant_id", UUID.class), row.get("browser_session", UUID.class), row.get("scope", String.class),
                row.get("nonce", String.class), row.get("amr", String.class), Timestamps.instant(row.get("authenticated_at"))));
    }

    /** A code redeemed before: what its first redemption started. */
    Optional<Replay> replayed(String code) {
        List<Tuple> rows = em.createNativeQuery("""
                        select user_id, tenant_id, session_id, client_id from authorization_codes
                        where code_hash = ?1 and redeemed_at is not null""", Tuple.class)
                .setParameter(1, RandomTokens.sha256(code)).getResultList();
        return rows.stream().findFirst().map(row -> new Replay(row.get("user_id", UUID.class),
                row.get("tenant_id", UUID.class), row.get("session_id", UUID.class), row.get("client_id", UUID.class)));
    }

    /** The session a redemption started, for a replay to end. */
    void startedSession(String code, UUID sessionId) {
        em.createNativeQuery("update authorization_codes set session_id = ?2 where code_hash = ?1")
                .setParameter(1, RandomTokens.sha256(code)).setParameter(2, sessionId).executeUpdate();
    }

    @Transactional
    public int purgeExpired(int batch) {
        return em.createNativeQuery("""
                        delete from authorization_codes where code_hash in (
                            select code_hash from authorization_codes where expires_at < now() - interval '1 hour'
                            limit ?1 for update skip locked)""")
                .setParameter(1, batch).executeUpdate();
    }
}
