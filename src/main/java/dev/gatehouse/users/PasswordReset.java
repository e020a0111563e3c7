package dev.gatehouse.users;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.tenants.SsoRequirement;
import dev.gatehouse.users.AccountTokens.Purpose;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Forgotten passwords: a link mailed to the account's address sets a new password, which ends every session
 * of the account and proves the address. An admin may send a member the link.
 */
@ApplicationScoped
public class PasswordReset {

    private static final Logger LOG = Logger.getLogger(PasswordReset.class.getName());

    @Inject
    EntityManager em;

    @Inject
    AccountTokens tokens;

    @Inject
    AccountMails mails;

    @Inject
    PasswordHasher hasher;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    Event<CallerChanged> callerChanges;

    @Inject
    Event<AllSessionsRevoked> sessionRevocations;

    @Inject
    AccountChanges accounts;

    @Inject
    LoginAttempts attempts;

    @Resource
    ManagedExecutorService executor;

    /**
     * POST /auth/forgot-password. The request does the same work whether or not the address has an account
     * (one lookup, one security event), so neither its answer nor its time tells; the token and the mail are
     * written afterwards, on another thread.
     */
    @Transactional
    public void request(String email) {
        // where every tenant of the account requires SSO of it, a password would open nothing: no link (same answer)
        List<Object[]> rows = em.createQuery("select u.id, case when " + SsoRequirement.ONLY_SSO_FOR_USER_U
                        + " then true else false end from User u where lower(u.email) = :email and u.active = true", Object[].class)
                .setParameter("email", Emails.normalize(email)).getResultList();
        UUID userId = rows.isEmpty() ? null : (UUID) rows.getFirst()[0];
        boolean ssoOnly = userId != null && (Boolean) rows.getFirst()[1];
        SecurityEvent event = SecurityEvent.of(SecurityEventType.PASSWORD_RESET_REQUESTED, null).actor(null).subjectUser(userId);
        securityEvents.record(userId == null ? event.failed().detail("reason", "no_active_account")
                : ssoOnly ? event.failed().detail("reason", "sso_required") : event);
        if (userId != null && !ssoOnly) {
            executor.execute(() -> {
                try {
                    mails.sendPasswordReset(userId);
                } catch (RuntimeException e) {
                    LOG.warning("The password reset mail of user " + userId + " was not written: " + e);
                }
            });
        }
    }

    /**
     * POST /auth/reset-password: uses up the token, sets the password, ends every session and every artefact
     * made before it, proves the address, and forgets the email's failed attempts (the owner always gets in
     * this way, whoever has been guessing).
     */
    @Transactional
    public void reset(String token, String newPassword) {
        AccountTokens.Redeemed redeemed = tokens.redeem(token, Purpose.reset_password, Purpose.reset_password);
        User user = em.find(User.class, redeemed.userId());
        if (!user.email().equals(redeemed.email())) { // the address changed since the mail: the link is stale
            throw AccountTokens.invalidToken();
        }
        user.resetPassword(hasher.hash(newPassword));
        attempts.forget(Emails.normalize(user.email()));
        sessionRevocations.fire(new AllSessionsRevoked(user.id()));
        callerChanges.fire(CallerChanged.user(user.id()));
        accounts.recordInEveryTenant(user.id(), tenantId -> SecurityEvent.of(SecurityEventType.PASSWORD_RESET, tenantId)
                .actor(user.id()).subjectUser(user.id()));
    }

    /**
     * POST /users/{id}/send-password-reset: an admin who may change the account ({@link AccountChanges}) sends
     * the person the link.
     */
    @Transactional
    public void sendByAdmin(CallerView caller, UUID userId) {
        User user = accounts.accountToChange(caller, userId).user();
        mails.sendPasswordReset(user);
        securityEvents.record(SecurityEvent.of(SecurityEventType.PASSWORD_RESET_REQUESTED, caller.tenantId()).subjectUser(user.id()));
    }
}
