package dev.gatehouse.openid;

import dev.gatehouse.platform.Housekeeping;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.RandomTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * The table authorization_requests: requests the hosted sign-in page is working on, in the database so that any
 * instance serves the next step. Each is bound to the browser that started it by a secret in a cookie, of
 * which the row keeps the SHA-256.
 */
@ApplicationScoped
public class PendingAuthorizations {

    /** How long a person has to sign in before the request is forgotten. */
    static final int LIFETIME_SECONDS = 600;

    /** A saved request and the secret its browser must present. */
    record Saved(AuthorizationRequest request, String binding) {
    }

    @Inject
    EntityManager em;

    @Transactional
    public Saved save(AuthorizationRequest request) {
        UUID id = Ids.newId();
        String binding = RandomTokens.newToken();
        em.createNativeQuery("""
                        insert into authorization_requests (id, binding_hash, client_id, redirect_uri, scope, state, nonce,
                            code_challenge, max_age, login_hint, tenant_hint, require_mfa, expires_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, now() + make_interval(secs => ?13))""")
                .setParameter(1, id).setParameter(2, RandomTokens.sha256(binding)).setParameter(3, request.clientId())
                .setParameter(4, request.redirectUri()).setParameter(5, request.scope())
                .setParameter(6, text(request.state())).setParameter(7, text(request.nonce()))
                .setParameter(8, request.codeChallenge())
                .setParameter(9, new TypedParameterValue<>(StandardBasicTypes.INTEGER, request.maxAge()))
                .setParameter(10, text(request.loginHint())).setParameter(11, text(request.tenantHint()))
                .setParameter(12, request.requireMfa()).setParameter(13, LIFETIME_SECONDS)
                .executeUpdate();
        return new Saved(request.withId(id), binding);
    }

    /** The live request of this id whose binding the browser presented; empty otherwise. */
    public Optional<AuthorizationRequest> find(String requestId, String binding) {
        UUID id = Ids.parseOrNull(requestId);
        if (id == null || binding == null) {
            return Optional.empty();
        }
        List<Tuple> rows = em.createNativeQuery("""
                        select * from authorization_requests where id = ?1 and expires_at > now()""", Tuple.class)
                .setParameter(1, id).getResultList();
        return rows.stream().findFirst()
                .filter(row -> MessageDigest.isEqual(row.get("binding_hash", byte[].class), RandomTokens.sha256(binding)))
                .map(row -> new AuthorizationRequest(id, row.get("client_id", UUID.class), row.get("redirect_uri", String.class),
                        row.get("scope", String.class), row.get("state", String.class), row.get("nonce", String.class),
                        row.get("code_challenge", String.class), row.get("max_age", Integer.class),
                        row.get("login_hint", String.class), row.get("tenant_hint", String.class),
                        row.get("require_mfa", Boolean.class), row.get("mfa_ticket", String.class)));
    }

    /** The second factor is due: the ticket of mfa/MfaTickets that its code goes with. */
    @Transactional
    public void awaitSecondFactor(UUID requestId, String mfaTicket) {
        em.createNativeQuery("update authorization_requests set mfa_ticket = ?2 where id = ?1")
                .setParameter(1, requestId).setParameter(2, mfaTicket).executeUpdate();
    }

    /** The person is to sign in to this tenant: the one the request named, or the one they chose. */
    @Transactional
    public void narrowToTenant(UUID requestId, String tenantHint) {
        em.createNativeQuery("update authorization_requests set tenant_hint = ?2, mfa_ticket = null where id = ?1")
                .setParameter(1, requestId).setParameter(2, tenantHint).executeUpdate();
    }

    @Transactional
    public void finish(UUID requestId) {
        em.createNativeQuery("delete from authorization_requests where id = ?1").setParameter(1, requestId).executeUpdate();
    }

    void purges(@Observes Housekeeping.Purges purges, PendingAuthorizations pending, AuthorizationCodes codes) {
        purges.retention("expired authorization request(s)", pending::purgeExpired);
        purges.retention("expired authorization code(s)", codes::purgeExpired);
    }

    @Transactional
    public int purgeExpired(int batch) {
        return em.createNativeQuery("""
                        delete from authorization_requests where id in (
                            select id from authorization_requests where expires_at < now() limit ?1 for update skip locked)""")
                .setParameter(1, batch).executeUpdate();
    }

    private static TypedParameterValue<String> text(String value) {
        return new TypedParameterValue<>(StandardBasicTypes.STRING, value);
    }
}
