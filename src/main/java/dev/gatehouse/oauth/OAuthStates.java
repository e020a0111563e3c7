package dev.gatehouse.oauth;

import dev.gatehouse.platform.Housekeeping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The OAuth flows in progress, in the database. Each method is its own short transaction. */
@ApplicationScoped
public class OAuthStates {

    @Inject
    EntityManager em;

    @Inject
    @ConfigProperty(name = "gatehouse.oauth.state-cleanup-seconds")
    long cleanupSeconds;

    /**
     * What a callback gets back from its state; {@code live} is false once the flow has expired;
     * {@code invitationHash}: the invitation the sign-in accepts, or null.
     */
    public record Consumed(String provider, String codeVerifier, String nonce, String redirectUri, boolean live,
                           byte[] invitationHash) {
    }

    @Transactional
    public void create(String state, String provider, String codeVerifier, String nonce, String redirectUri,
                       byte[] bindingHash, byte[] invitationHash, Duration lifetime) {
        em.persist(new OAuthState(state, provider, codeVerifier, nonce, redirectUri, bindingHash, invitationHash, lifetime));
    }

    /**
     * Takes the state out of the database if the caller is the client that started the flow, whatever comes
     * next: one statement, so of two callbacks with the same state and binding exactly one gets the row (the
     * other waits for the row lock, then finds it gone). A state presented once with its binding is spent,
     * even when the rest of the flow fails.
     * <p>
     * The binding is checked in the same statement, not after the delete: a callback with a missing or wrong
     * binding matches no row, so it consumes nothing, and whoever holds a leaked callback URL can neither
     * finish the flow nor burn it before its own client does. Replays stay impossible all the same: the row
     * goes the first time the right binding comes. The comparison is on SHA-256 digests of 256-bit secrets
     * (as for refresh tokens), so its timing tells nothing usable about the secret; comparing in Java with
     * MessageDigest.isEqual would need the row read first, and either a second statement or a delete that a
     * wrong binding could trigger.
     */
    @Transactional
    public Optional<Consumed> consume(String state, byte[] bindingHash) {
        List<Tuple> rows = em.createNativeQuery("""
                        delete from oauth_states where state = ?1 and binding_hash = ?2
                        returning provider, code_verifier, nonce, redirect_uri, expires_at > now() as live,
                                  invitation_hash""", Tuple.class)
                .setParameter(1, state)
                .setParameter(2, bindingHash)
                .getResultList();
        return rows.stream().findFirst().map(row -> new Consumed(row.get("provider", String.class),
                row.get("code_verifier", String.class), row.get("nonce", String.class),
                row.get("redirect_uri", String.class), row.get("live", Boolean.class),
                row.get("invitation_hash", byte[].class)));
    }

    /**
     * Every gatehouse.oauth.state-cleanup-seconds, one statement rather than batches ({@link #deleteExpired()}):
     * an expired flow is refused by its callback anyway; this only keeps the table small.
     */
    void purges(@Observes Housekeeping.Purges purges, OAuthStates states) {
        purges.every(cleanupSeconds, "expired OAuth state(s)", batch -> states.deleteExpired());
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
