package dev.gatehouse.oauth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The OAuth flows in progress, in the database. Each method is its own short transaction. */
@ApplicationScoped
public class OAuthStates {

    @Inject
    EntityManager em;

    /** What a callback gets back from its state; {@code live} is false once the flow has expired. */
    public record Consumed(String provider, String codeVerifier, String nonce, String redirectUri, boolean live) {
    }

    @Transactional
    public void create(String state, String provider, String codeVerifier, String nonce, String redirectUri,
                       Duration lifetime) {
        em.persist(new OAuthState(state, provider, codeVerifier, nonce, redirectUri, lifetime));
    }

    /**
     * Takes the state out of the database, whatever comes next: one statement, so of two callbacks with the
     * same state exactly one gets the row (the other waits for the row lock, then finds it gone). A state
     * presented once is spent, even when the rest of the flow fails.
     */
    @Transactional
    public Optional<Consumed> consume(String state) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        delete from oauth_states where state = ?1
                        returning provider, code_verifier, nonce, redirect_uri, expires_at > now()""")
                .setParameter(1, state)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = rows.getFirst();
        return Optional.of(new Consumed((String) row[0], (String) row[1], (String) row[2], (String) row[3], (Boolean) row[4]));
    }

    /**
     * Removes expired flows. Safe when every instance runs it at the same time: one idempotent statement;
     * PostgreSQL lets each row be deleted by one transaction, the others skip it once it is gone.
     */
    @Transactional
    public int deleteExpired() {
        return em.createNativeQuery("delete from oauth_states where expires_at < now()").executeUpdate();
    }
}
