package dev.gatehouse.users;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.users.AccountTokens.Purpose;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * POST /auth/verify-email and its resend: a link mailed to an address proves it. The same endpoint takes the
 * link of an email change, which then takes effect, and the old address gets a notice.
 */
@ApplicationScoped
public class EmailVerification {

    @Inject
    EntityManager em;

    @Inject
    AccountTokens tokens;

    @Inject
    AccountMails mails;

    @Inject
    UserQueries queries;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    AccountChanges accounts;

    @Inject
    Event<CallerChanged> callerChanges;

    /**
     * Uses up the token: the address it went to becomes the account's verified address. A verification link
     * for an address the account no longer has is as invalid as any other bad token.
     */
    @Transactional
    public void verify(String token) {
        AccountTokens.Redeemed redeemed = tokens.redeem(token, Purpose.verify_email, Purpose.change_email);
        User user = em.find(User.class, redeemed.userId());
        if (redeemed.purpose() == Purpose.verify_email) {
            if (!user.email().equals(redeemed.email())) {
                throw AccountTokens.invalidToken();
            }
            user.changeEmailVerified(redeemed.email());
            securityEvents.record(SecurityEvent.of(SecurityEventType.EMAIL_VERIFIED, null).actor(user.id()).subjectUser(user.id()));
        } else {
            if (queries.emailTaken(redeemed.email(), user.id())) {
                throw new ProblemException(ProblemType.EMAIL_TAKEN, "Another account has this email now.");
            }
            String oldEmail = user.email();
            user.changeEmailVerified(redeemed.email());
            mails.sendEmailChangedNotice(user, oldEmail);
            accounts.recordInEveryTenant(user.id(), tenantId -> SecurityEvent.of(SecurityEventType.EMAIL_CHANGED, tenantId)
                    .actor(user.id()).subjectUser(user.id()));
            em.flush(); // a concurrent change to the same email fails here, as a 409
        }
        callerChanges.fire(CallerChanged.user(user.id()));
    }

    /** A new verification link to the caller's address; the earlier one dies. 409 when it is verified already. */
    @Transactional
    public void resend(CallerView caller) {
        if (caller.emailVerified()) {
            throw new ProblemException(ProblemType.EMAIL_VERIFIED, "This email address is verified already.");
        }
        mails.sendVerification(em.find(User.class, caller.id()), caller.tenantId());
    }
}
