package dev.gatehouse.mfa;

import dev.gatehouse.platform.Housekeeping;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ticket between a sign-in's first step (password or OAuth) and its second factor: 256 random bits,
 * stored as SHA-256, single use, short-lived, and dead after a few wrong codes. A "verify" ticket is
 * exchanged for tokens with a code; an "enrol" ticket (the tenant requires MFA of someone without it) only
 * enrols. Callers run inside their transaction.
 */
@ApplicationScoped
public class MfaTickets {

    public enum Purpose { verify, enrol }

    /** A live ticket, locked for the rest of its transaction. */
    public record Ticket(byte[] hash, UUID userId, UUID tenantId, Purpose purpose, String amr) {
    }

    @Inject
    EntityManager em;

    @Inject
    @ConfigProperty(name = "gatehouse.mfa.ticket-minutes")
    int lifetimeMinutes;

    @Inject
    @ConfigProperty(name = "gatehouse.mfa.ticket-max-attempts")
    int maxAttempts;

    public long lifetimeSeconds() {
        return lifetimeMinutes * 60L;
    }

    /** {@code amr}: the methods of the first step, space separated ("pwd"; "" for an OAuth sign-in). */
    @Transactional
    public String issue(UUID userId, UUID tenantId, Purpose purpose, String amr) {
        String token = RandomTokens.newToken();
        em.createNativeQuery("""
                        insert into mfa_tickets (token_hash, user_id, tenant_id, purpose, amr, expires_at,
                                                 credential_version)
                        values (?1, ?2, ?3, ?4, ?5, ?6, (select credential_version from users where id = ?2))""")
                .setParameter(1, RandomTokens.sha256(token)).setParameter(2, userId).setParameter(3, tenantId)
                .setParameter(4, purpose.name()).setParameter(5, amr)
                .setParameter(6, Instant.now().plus(Duration.ofMinutes(lifetimeMinutes)))
                .executeUpdate();
        return token;
    }

    /**
     * The live ticket of this purpose; 400 for any other (unknown, used, expired, out of attempts, or made
     * before a credential change of the account: its first step proved a password that may no longer be).
     */
    public Ticket open(String token, Purpose purpose) {
        List<Tuple> rows = token == null ? List.of() : em.createNativeQuery("""
                        select token_hash, user_id, tenant_id, amr from mfa_tickets t
                        where token_hash = ?1 and purpose = ?2 and used_at is null and expires_at > now()
                          and failed_attempts < ?3
                          and credential_version = (select u.credential_version from users u where u.id = t.user_id)
                        for update of t""", Tuple.class)
                .setParameter(1, RandomTokens.sha256(token)).setParameter(2, purpose.name()).setParameter(3, maxAttempts)
                .getResultList();
        if (rows.isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_MFA_TICKET,
                    "The MFA ticket is invalid, expired or used up: sign in again.");
        }
        Tuple row = rows.getFirst();
        return new Ticket(row.get("token_hash", byte[].class), row.get("user_id", UUID.class),
                row.get("tenant_id", UUID.class), purpose, row.get("amr", String.class));
    }

    public void failed(Ticket ticket) {
        em.createNativeQuery("update mfa_tickets set failed_attempts = failed_attempts + 1 where token_hash = ?1")
                .setParameter(1, ticket.hash()).executeUpdate();
    }

    public void use(Ticket ticket) {
        em.createNativeQuery("update mfa_tickets set used_at = now() where token_hash = ?1")
                .setParameter(1, ticket.hash()).executeUpdate();
    }

    /** One statement for all, not batches: a ticket lives minutes, so there is never a backlog. */
    void purges(@Observes Housekeeping.Purges purges, MfaTickets tickets) {
        purges.retention("expired MFA ticket(s)", batch -> tickets.purgeExpired());
    }

    /** Deletes tickets past their expiry (see {@link #purges}). */
    @Transactional
    public int purgeExpired() {
        return em.createNativeQuery("delete from mfa_tickets where expires_at < now()").executeUpdate();
    }
}
