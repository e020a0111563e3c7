package dev.gatehouse.users;

import dev.gatehouse.platform.Housekeeping;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.Timestamps;
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

/**
 * The one-time tokens of an account's mails (table account_tokens): 256 random bits, of which only the
 * SHA-256 is stored; a new token of a purpose replaces the account's earlier one; redeemed by one DELETE ...
 * RETURNING, so of two concurrent uses exactly one succeeds. Bad, expired and used tokens get the same answer.
 */
@ApplicationScoped
public class AccountTokens {

    public enum Purpose { verify_email, change_email, reset_password }

    /** A redeemed token: what it was for, whose, and the address its mail went to. */
    public record Redeemed(Purpose purpose, UUID userId, String email) {
    }

    @Inject
    EntityManager em;

    /**
     * A new token for this purpose (two statements, in the caller's transaction); the earlier one dies. It
     * carries the account's credential version: a credential change after it makes it invalid.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String issue(User user, Purpose purpose, String email, Duration lifetime) {
        em.createNativeQuery("delete from account_tokens where user_id = ?1 and purpose = ?2")
                .setParameter(1, user.id()).setParameter(2, purpose.name()).executeUpdate();
        String token = RandomTokens.newToken();
        Instant now = Timestamps.now();
        em.createNativeQuery("""
                        insert into account_tokens (token_hash, purpose, user_id, email, created_at, expires_at,
                                                    credential_version)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                .setParameter(1, RandomTokens.sha256(token)).setParameter(2, purpose.name()).setParameter(3, user.id())
                .setParameter(4, email).setParameter(5, now).setParameter(6, now.plus(lifetime))
                .setParameter(7, user.credentialVersion())
                .executeUpdate();
        return token;
    }

    /**
     * Uses up a live token of this purpose, or of the other one given (one statement); else 400 invalid-token.
     * Live: not expired, and made under the account's current credential version.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Redeemed redeem(String token, Purpose purpose, Purpose orPurpose) {
        List<Tuple> rows = em.createNativeQuery("""
                        delete from account_tokens t
                        where token_hash = ?1 and expires_at > now() and (purpose = ?2 or purpose = ?3)
                          and credential_version = (select u.credential_version from users u where u.id = t.user_id)
                        returning purpose, user_id, email""", Tuple.class)
                .setParameter(1, RandomTokens.sha256(token))
                .setParameter(2, purpose.name()).setParameter(3, orPurpose.name())
                .getResultList();
        if (rows.isEmpty()) {
            throw invalidToken();
        }
        Tuple row = rows.getFirst();
        return new Redeemed(Purpose.valueOf(row.get("purpose", String.class)), row.get("user_id", UUID.class),
                row.get("email", String.class));
    }

    /** The one answer to a bad, expired or used token of any mail: nothing tells them apart. */
    public static ProblemException invalidToken() {
        return new ProblemException(ProblemType.INVALID_TOKEN,
                "This link is not valid: it may have expired or been used already. Ask for a new one.");
    }

    void purges(@Observes Housekeeping.Purges purges, AccountTokens tokens) {
        purges.retention("expired token(s) of mails", tokens::purgeExpired);
    }

    /** Deletes up to {@code batch} expired tokens; instances that run this at once skip each other's rows. */
    @Transactional
    public int purgeExpired(int batch) {
        return em.createNativeQuery("""
                        delete from account_tokens where token_hash in (
                            select token_hash from account_tokens where expires_at < now() limit ?1 for update skip locked)""")
                .setParameter(1, batch).executeUpdate();
    }
}
