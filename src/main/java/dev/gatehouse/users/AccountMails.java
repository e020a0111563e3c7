package dev.gatehouse.users;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.mail.MailLinks;
import dev.gatehouse.mail.MailOutbox;
import dev.gatehouse.mail.RecipientLimits;
import dev.gatehouse.users.AccountTokens.Purpose;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The mails of an account's life, each with its one-time token, written to the outbox in the caller's
 * transaction: the verification of its address, the confirmation of a new address, the notice to the old
 * one, a password reset. Each mail to an address the requester does not own (all but the notice to the old
 * address) counts against the recipient's limit ({@link RecipientLimits}); over it, nothing is written but a
 * {@code mail.suppressed} event, and the caller's answer stays the same.
 */
@ApplicationScoped
public class AccountMails {

    @Inject
    EntityManager em;

    @Inject
    AccountTokens tokens;

    @Inject
    MailOutbox outbox;

    @Inject
    MailLinks links;

    @Inject
    RecipientLimits recipientLimits;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    @ConfigProperty(name = "gatehouse.email-verification.hours")
    int verificationHours;

    @Inject
    @ConfigProperty(name = "gatehouse.password-reset.minutes")
    int resetMinutes;

    /** A link to prove the account's current address (registration, a new account, an admin's change). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void sendVerification(User user, UUID tenantId) {
        if (overLimit(user.email(), "verify-email", user.id(), tenantId)) {
            return;
        }
        String token = tokens.issue(user, Purpose.verify_email, user.email(), Duration.ofHours(verificationHours));
        outbox.enqueue(user.email(), "verify-email", Map.of("name", user.fullName(),
                "hours", Integer.toString(verificationHours), "link", links.to("verify-email.html", token)));
        securityEvents.record(SecurityEvent.of(SecurityEventType.EMAIL_VERIFICATION_SENT, tenantId).subjectUser(user.id()));
    }

    /** A link to the new address; the account keeps its address until it is followed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void sendEmailChange(User user, String newEmail, UUID tenantId) {
        if (overLimit(newEmail, "change-email", user.id(), tenantId)) {
            return;
        }
        String token = tokens.issue(user, Purpose.change_email, newEmail, Duration.ofHours(verificationHours));
        outbox.enqueue(newEmail, "change-email", Map.of("name", user.fullName(),
                "hours", Integer.toString(verificationHours), "link", links.to("verify-email.html", token)));
        securityEvents.record(SecurityEvent.of(SecurityEventType.EMAIL_CHANGE_REQUESTED, tenantId).subjectUser(user.id()));
    }

    /**
     * The owner of an address that another account asked to move to learns of it, instead of the requester
     * learning that the address has an account.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void sendEmailInUseNotice(User owner) {
        // the event of a suppressed notice has no tenant: the requester's tenant must not learn who the owner is
        if (overLimit(owner.email(), "email-in-use", owner.id(), null)) {
            return;
        }
        outbox.enqueue(owner.email(), "email-in-use", Map.of("name", owner.fullName()));
    }

    /** The old address learns that it no longer signs in. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void sendEmailChangedNotice(User user, String oldEmail) {
        outbox.enqueue(oldEmail, "email-changed", Map.of("name", user.fullName()));
    }

    /** A link to set a new password, to the account's address. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void sendPasswordReset(User user) {
        if (overLimit(user.email(), "reset-password", user.id(), null)) {
            return;
        }
        String token = tokens.issue(user, Purpose.reset_password, user.email(), Duration.ofMinutes(resetMinutes));
        outbox.enqueue(user.email(), "reset-password", Map.of("name", user.fullName(),
                "minutes", Integer.toString(resetMinutes), "link", links.to("reset-password.html", token)));
    }

    /**
     * {@link #sendPasswordReset} for the account with this id, in a transaction of its own (forgot-password, on
     * another thread: the request context it activates, empty, lets a {@code mail.suppressed} event be written).
     */
    @ActivateRequestContext
    @Transactional
    public void sendPasswordReset(UUID userId) {
        User user = em.find(User.class, userId);
        if (user != null && user.active()) {
            sendPasswordReset(user);
        }
    }

    /** Counts the mail against the recipient's limit; over it, records that it was not written. */
    private boolean overLimit(String recipient, String kind, UUID userId, UUID tenantId) {
        if (recipientLimits.allow(recipient, kind)) {
            return false;
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.MAIL_SUPPRESSED, tenantId).subjectUser(userId).failed()
                .detail("kind", kind));
        return true;
    }
}
