package dev.gatehouse.sso;

import dev.gatehouse.platform.Housekeeping;
import dev.gatehouse.platform.Timestamps;
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

/**
 * The table sso_sign_ins: sign-ins through a connection in progress, as oauth_states holds the instance-wide
 * providers' (the same binding rule: only the browser that started one finishes it). Each method is one short
 * transaction. Also the one-time SAML assertion ids.
 */
@ApplicationScoped
public class SsoSignIns {

    @Inject
    EntityManager em;

    /** A sign-in's row as its finish reads it; {@code identity} is the SAML response's, once accepted. */
    record Flow(UUID connectionId, UUID requestId, String nonce, String codeVerifier, String identity, boolean live) {
    }

    @Transactional
    void create(String state, UUID connectionId, UUID requestId, byte[] bindingHash, String nonce, String codeVerifier,
                Duration lifetime) {
        Instant now = Timestamps.now();
        em.createNativeQuery("""
                        insert into sso_sign_ins (state, connection_id, authorization_request_id, binding_hash, nonce,
                                                  code_verifier, created_at, expires_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""")
                .setParameter(1, state).setParameter(2, connectionId).setParameter(3, requestId)
                .setParameter(4, bindingHash).setParameter(5, nonce).setParameter(6, codeVerifier)
                .setParameter(7, now).setParameter(8, now.plus(lifetime)).executeUpdate();
    }

    /** Takes the sign-in out if this browser started it: one statement, so it finishes once (see OAuthStates.consume). */
    @Transactional
    Optional<Flow> consume(String state, byte[] bindingHash) {
        List<Tuple> rows = em.createNativeQuery("""
                        delete from sso_sign_ins where state = ?1 and binding_hash = ?2
                        returning connection_id, authorization_request_id, nonce, code_verifier, identity,
                                  expires_at > now() as live""", Tuple.class)
                .setParameter(1, state).setParameter(2, bindingHash).getResultList();
        return rows.stream().findFirst().map(SsoSignIns::flow);
    }

    /**
     * A SAML response for this sign-in was accepted: its identity waits for the browser's binding. Only once, and
     * only while the sign-in is live: false when there is no such sign-in, or it has an identity already.
     */
    @Transactional
    boolean attachIdentity(String state, UUID connectionId, String identity) {
        return em.createNativeQuery("""
                        update sso_sign_ins set identity = ?3
                        where state = ?1 and connection_id = ?2 and identity is null and expires_at > now()""")
                .setParameter(1, state).setParameter(2, connectionId).setParameter(3, identity).executeUpdate() == 1;
    }

    /** The live sign-in of this state and connection, without its binding: what a SAML response answers. */
    Optional<Flow> pending(String state, UUID connectionId) {
        List<Tuple> rows = em.createNativeQuery("""
                        select connection_id, authorization_request_id, nonce, code_verifier, identity,
                               expires_at > now() as live
                        from sso_sign_ins where state = ?1 and connection_id = ?2""", Tuple.class)
                .setParameter(1, state).setParameter(2, connectionId).getResultList();
        return rows.stream().findFirst().map(SsoSignIns::flow);
    }

    /** An assertion id seen for the first time (true), kept until the assertion expires; false for a replay. */
    @Transactional
    boolean firstUseOfAssertion(UUID connectionId, String assertionId, Instant expiresAt) {
        return em.createNativeQuery("""
                        insert into saml_assertion_ids (connection_id, assertion_id, expires_at) values (?1, ?2, ?3)
                        on conflict do nothing""")
                .setParameter(1, connectionId).setParameter(2, assertionId).setParameter(3, expiresAt)
                .executeUpdate() == 1;
    }

    void purges(@Observes Housekeeping.Purges purges, SsoSignIns signIns) {
        purges.retention("expired SSO sign-in(s) and SAML assertion id(s)", batch -> signIns.deleteExpired());
    }

    /** One statement per table (as OAuthStates): an expired row is refused anyway; this keeps the tables small. */
    @Transactional
    public int deleteExpired() {
        return em.createNativeQuery("delete from sso_sign_ins where expires_at < now()").executeUpdate()
                + em.createNativeQuery("delete from saml_assertion_ids where expires_at < now()").executeUpdate();
    }

    private static Flow flow(Tuple row) {
        return new Flow(row.get("connection_id", UUID.class), row.get("authorization_request_id", UUID.class),
                row.get("nonce", String.class), row.get("code_verifier", String.class), row.get("identity", String.class),
                row.get("live", Boolean.class));
    }
}
