package dev.gatehouse.mail;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends the outbox's due mails through the container's mail session (JNDI mail/gatehouse, defined in
 * server-config/post-boot-commands.asadmin): right after a transaction that wrote one commits, and on every
 * run of {@link MailSenderJob}, which also retries. Several instances share the outbox: each claims its
 * rows (FOR UPDATE SKIP LOCKED), so no mail goes out twice unless an instance dies between the SMTP
 * server's acceptance and the row's deletion. Never logs a body: it holds a token.
 */
@ApplicationScoped
public class MailSender {

    private static final Logger LOG = Logger.getLogger(MailSender.class.getName());
    private static final int BATCH = 20;

    @Resource(lookup = "mail/gatehouse")
    Session session;

    @Resource
    ManagedExecutorService executor;

    @Inject
    MailOutbox outbox;

    @Inject
    @ConfigProperty(name = "gatehouse.mail.retry-seconds")
    long retrySeconds;

    @Inject
    @ConfigProperty(name = "gatehouse.mail.max-attempts")
    int maxAttempts;

    /** One drain at a time per instance; a request for another while one runs makes it go round again. */
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean reportedUnconfigured = new AtomicBoolean();

    /** After a commit that wrote a mail: send it on another thread, the response does not wait. */
    void sendSoon() {
        requested.set(true);
        if (!draining.get()) {
            executor.execute(this::sendDue);
        }
    }

    /**
     * Sends every due mail; failures are recorded on their rows for a later retry. While the mail resource is
     * not configured nothing is claimed: the mails wait in the outbox instead of using up their attempts (and
     * another instance that is configured sends them).
     */
    void sendDue() {
        String unset = unresolvedSetting();
        if (unset != null) {
            if (!reportedUnconfigured.getAndSet(true)) {
                LOG.severe("Mail is not configured: the mail resource mail/gatehouse has " + unset + ". Set the"
                        + " GATEHOUSE_MAIL_* variables (docs/operations.md, \"Mail\"); until then mails wait in"
                        + " the outbox.");
            }
            return;
        }
        requested.set(true);
        while (requested.get() && draining.compareAndSet(false, true)) {
            try {
                requested.set(false);
                List<MailOutbox.Claimed> claimed;
                do {
                    claimed = outbox.claimDue(BATCH, maxAttempts);
                    claimed.forEach(this::send);
                } while (claimed.size() == BATCH);
            } catch (RuntimeException e) {
                LOG.warning("Sending mail failed; the next run tries again: " + e);
            } finally {
                draining.set(false);
            }
        }
    }

    /**
     * A setting of the mail session that is still an unresolved ${ENV=…} (the asadmin file defines the resource
     * from the environment; a variable that was not set stays literal), as "name=value"; null when none is.
     */
    private String unresolvedSetting() {
        return session.getProperties().stringPropertyNames().stream().sorted()
                .filter(name -> session.getProperty(name).contains("${ENV="))
                .filter(name -> !name.contains("password")) // never name a secret's value, even an unset one
                .map(name -> name + "=" + session.getProperty(name))
                .findFirst().orElse(null);
    }

    private void send(MailOutbox.Claimed mail) {
        try {
            Transport.send(message(mail));
        } catch (MessagingException | RuntimeException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            boolean lastTry = mail.attempts() >= maxAttempts;
            LOG.log(lastTry ? Level.SEVERE : Level.WARNING, () -> "Mail " + mail.id() + " not sent (attempt "
                    + mail.attempts() + " of " + maxAttempts + (lastTry ? ", giving up" : ", will retry") + "): " + error);
            outbox.failed(mail.id(), mail.attempts(), retrySeconds, error);
            return;
        }
        outbox.sent(mail.id());
        LOG.fine(() -> "Mail " + mail.id() + " sent");
    }

    private MimeMessage message(MailOutbox.Claimed mail) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(); // the mail resource's from address
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.recipient(), true));
        message.setSubject(mail.subject(), "UTF-8");
        message.setSentDate(new Date());
        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), "UTF-8", "html");
        MimeMultipart alternatives = new MimeMultipart("alternative");
        alternatives.addBodyPart(text);
        alternatives.addBodyPart(html);
        message.setContent(alternatives);
        return message;
    }
}
