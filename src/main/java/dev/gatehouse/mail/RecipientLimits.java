package dev.gatehouse.mail;

import dev.gatehouse.platform.Housekeeping;
import dev.gatehouse.platform.RandomTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many mails of one kind one address may get: at most gatehouse.mail.recipient-limit per
 * gatehouse.mail.recipient-window-minutes (table mail_recipient_budgets, shared by every instance). It guards
 * the mails whose recipient the requester does not own (a reset asked for by anyone, an invitation, a
 * verification, the confirmation of a new address): whoever asks cannot turn the service into a mail cannon
 * aimed at one inbox. A request over the limit is answered as before, only its mail is not written; the caller
 * records that as a security event.
 */
@ApplicationScoped
public class RecipientLimits {

    @Inject
    EntityManager em;

    @Inject
    @ConfigProperty(name = "gatehouse.mail.recipient-limit")
    int limit;

    @Inject
    @ConfigProperty(name = "gatehouse.mail.recipient-window-minutes")
    int windowMinutes;

    /**
     * Counts one mail of this kind to this address and answers whether it is within the limit. One statement;
     * its row lock holds concurrent mails to the same address back until this transaction ends, so a burst is
     * counted one by one.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean allow(String recipient, String kind) {
        Number sent = (Number) em.createNativeQuery("""
                        insert into mail_recipient_budgets as b (recipient_hash, kind, window_started_at, sent)
                        values (?1, ?2, now(), 1)
                        on conflict (recipient_hash, kind) do update set
                            sent = case when b.window_started_at <= now() - make_interval(mins => ?3) then 1 else b.sent + 1 end,
                            window_started_at = case when b.window_started_at <= now() - make_interval(mins => ?3)
                                                     then now() else b.window_started_at end
                        returning sent""")
                .setParameter(1, RandomTokens.sha256(recipient.toLowerCase(Locale.ROOT)))
                .setParameter(2, kind).setParameter(3, windowMinutes).getSingleResult();
        return sent.intValue() <= limit;
    }

    void purges(@Observes Housekeeping.Purges purges, RecipientLimits limits) {
        purges.retention("ended mail budget(s)", limits::purgeEnded);
    }

    /**
     * Deletes up to {@code batch} budgets whose window ended (the retention job: such a row means the same as
     * none), and answers how many. Instances running this at once skip each other's rows.
     */
    @Transactional
    public int purgeEnded(int batch) {
        return em.createNativeQuery("""
                        delete from mail_recipient_budgets where (recipient_hash, kind) in (
                            select recipient_hash, kind from mail_recipient_budgets
                            where window_started_at <= now() - make_interval(mins => ?1) limit ?2 for update skip locked)""")
                .setParameter(1, windowMinutes).setParameter(2, batch).executeUpdate();
    }
}
