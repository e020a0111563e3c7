package dev.gatehouse.mail;

import dev.gatehouse.platform.Housekeeping;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.persistence.AfterCommit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The transactional outbox (table mail_outbox): {@link #enqueue} writes a mail as a row in the caller's
 * transaction, so the mail exists exactly when the change that causes it commits; {@link MailSender} sends
 * it after the commit. The other methods are the sender's, each its own transaction.
 */
@ApplicationScoped
public class MailOutbox {

    /** How long a claimed row stays with its sender before another may take it: longer than any SMTP timeout. */
    private static final int LEASE_SECONDS = 300;
    /** The longest a link in a mail lives (an invitation, gatehouse.invitation.days' default). */
    static final int GIVEN_UP_DAYS = 7;

    @Inject
    EntityManager em;

    @Inject
    @ConfigProperty(name = "gatehouse.mail.max-attempts")
    int maxAttempts;

    @Inject
    MailTemplates templates;

    @Inject
    MailSender sender;

    @Inject
    AfterCommit afterCommit;

    /** One mail that is due, claimed by this instance. */
    record Claimed(UUID id, String recipient, String subject, String text, String html, int attempts) {
    }

    /**
     * A mail from this template to this address, in the caller's transaction (one insert); sending starts
     * when the transaction commits. The address must be a bare address: nothing else reaches a header.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String recipient, String template, Map<String, String> values) {
        MailTemplates.Rendered mail = templates.render(template, values);
        Instant now = Timestamps.now();
        em.createNativeQuery("""
                        insert into mail_outbox (id, recipient, subject, text_body, html_body, created_at, next_attempt_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?6)""")
                .setParameter(1, Ids.newId()).setParameter(2, bareAddress(recipient)).setParameter(3, mail.subject())
                .setParameter(4, mail.text()).setParameter(5, mail.html()).setParameter(6, now)
                .executeUpdate();
        afterCommit.run(sender::sendSoon);
    }

    /**
     * Up to {@code batch} due mails, claimed for {@link #LEASE_SECONDS}: another instance skips the rows
     * while this statement holds them and sees them as not due afterwards.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    List<Claimed> claimDue(int batch, int maxAttempts) {
        List<Tuple> rows = em.createNativeQuery("""
                        update mail_outbox o set attempts = o.attempts + 1,
                               next_attempt_at = now() + make_interval(secs => ?1)
                        where o.id in (select id from mail_outbox where next_attempt_at <= now() and attempts < ?2
                                       order by next_attempt_at limit ?3 for update skip locked)
                        returning o.id, o.recipient, o.subject, o.text_body, o.html_body, o.attempts""", Tuple.class)
                .setParameter(1, LEASE_SECONDS).setParameter(2, maxAttempts).setParameter(3, batch)
                .getResultList();
        return rows.stream().map(r -> new Claimed(r.get("id", UUID.class), r.get("recipient", String.class),
                r.get("subject", String.class), r.get("text_body", String.class), r.get("html_body", String.class),
                r.get("attempts", Number.class).intValue())).toList();
    }

    /** Sent: the row goes, and the token in its body with it. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void sent(UUID id) {
        em.createNativeQuery("delete from mail_outbox where id = ?1").setParameter(1, id).executeUpdate();
    }

    void purges(@Observes Housekeeping.Purges purges, MailOutbox outbox) {
        purges.retention("given-up mail(s)", batch -> outbox.purgeGivenUp(maxAttempts, batch));
    }

    /**
     * Deletes up to {@code batch} mails given up (every attempt failed) that were written more than
     * {@link #GIVEN_UP_DAYS} days ago, and answers how many: long enough for an operator to look into the
     * failure, and by then every link in them has expired. Instances running this at once skip each other's rows.
     */
    @Transactional
    public int purgeGivenUp(int maxAttempts, int batch) {
        return em.createNativeQuery("""
                        delete from mail_outbox where id in (
                            select id from mail_outbox where attempts >= ?1 and created_at < now() - make_interval(days => ?2)
                            limit ?3 for update skip locked)""")
                .setParameter(1, maxAttempts).setParameter(2, GIVEN_UP_DAYS).setParameter(3, batch)
                .executeUpdate();
    }

    /** Not sent: tried again after the backoff, doubling from {@code retrySeconds} up to an hour. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void failed(UUID id, int attempts, long retrySeconds, String error) {
        long backoff = Math.min(3600, retrySeconds << Math.min(attempts - 1, 20));
        em.createNativeQuery("""
                        update mail_outbox set last_error = ?2, next_attempt_at = now() + make_interval(secs => ?3)
                        where id = ?1""")
                .setParameter(1, id).setParameter(2, error.length() > 1000 ? error.substring(0, 1000) : error)
                .setParameter(3, backoff).executeUpdate();
    }

    private static String bareAddress(String recipient) {
        try {
            InternetAddress address = new InternetAddress(recipient, true);
            if (address.getPersonal() != null || !address.getAddress().equals(recipient)) {
                throw new IllegalArgumentException("Not a bare email address");
            }
            return recipient;
        } catch (AddressException e) {
            throw new IllegalArgumentException("Not an email address", e);
        }
    }
}
