package dev.gatehouse.mfa;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.mfa.MfaRecords.TotpEnrolment;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.users.AccountChanges;
import dev.gatehouse.users.AllSessionsRevoked;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An account's second factor: TOTP (RFC 6238) with recovery codes, enrolled, proven, regenerated, turned off or
 * reset by an admin. The secret ({@link TotpSecrets}) is never shown after confirmation; a code is accepted once
 * (only a later time step passes after it); recovery codes ({@link RecoveryCodeStore}) are single use. The tenant
 * policy that requires a second factor is {@link TenantMfaPolicies}.
 */
@ApplicationScoped
public class MultiFactor {

    private static final int SECRET_BYTES = 20; // 160 bits, RFC 4226's recommendation for HMAC-SHA1
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    EntityManager em;

    @Inject
    TotpSecrets secrets;

    @Inject
    RecoveryCodeStore recoveryCodes;

    @Inject
    AccountChanges accounts;

    @Inject
    LoginAttempts attempts;

    @Inject
    Event<AllSessionsRevoked> sessionRevocations;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    Event<CallerChanged> callerChanges;

    @Inject
    @ConfigProperty(name = "gatehouse.mfa.issuer")
    String issuer;

    /** Starts (or restarts) an enrolment: a new secret, not active until {@link #confirm}. 409 when MFA is on. */
    @Transactional
    public TotpEnrolment start(UUID userId, String email) {
        if (enabled(userId)) {
            throw new ProblemException(ProblemType.MFA_ALREADY_ENABLED,
                    "Multi-factor authentication is on already; disable it first to enrol a new authenticator.");
        }
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        secrets.storePending(userId, secret);
        String base32 = Base32.encode(secret);
        String label = URLEncoder.encode(issuer + ":" + email, StandardCharsets.UTF_8).replace("+", "%20");
        String uri = "otpauth://totp/" + label + "?secret=" + base32 + "&issuer="
                + URLEncoder.encode(issuer, StandardCharsets.UTF_8).replace("+", "%20")
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
        return new TotpEnrolment(base32, uri, QrCodes.pngDataUri(uri));
    }

    /** Activates the started enrolment with a current code and returns the first recovery codes. */
    @Transactional(dontRollbackOn = ProblemException.class)
    public List<String> confirm(UUID userId, UUID tenantId, String code) {
        byte[] secret = secrets.secret(userId, false);
        if (secret == null) {
            throw new ProblemException(ProblemType.MFA_NOT_STARTED,
                    "There is no enrolment to confirm: start one with POST /api/v1/users/me/mfa/totp.");
        }
        checkCode(userId, tenantId, () -> secrets.accept(userId, secret, code));
        secrets.confirm(userId);
        securityEvents.record(SecurityEvent.of(SecurityEventType.MFA_ENROLLED, tenantId).actor(userId).subjectUser(userId));
        return recoveryCodes.replace(userId);
    }

    /**
     * Turns MFA off for the caller, who has presented the password ({@link dev.gatehouse.users.PasswordConfirmation})
     * and proves the second factor here. A credential change: artefacts made before it die.
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public void disable(CallerView caller, String code) {
        byte[] secret = secrets.secret(caller.id(), true);
        if (secret == null) {
            throw notEnabled();
        }
        checkCode(caller.id(), caller.tenantId(), () -> secrets.accept(caller.id(), secret, code));
        remove(caller.id());
        em.find(User.class, caller.id()).endCredentialEpoch();
        accounts.recordInEveryTenant(caller.id(), tenantId -> SecurityEvent.of(SecurityEventType.MFA_DISABLED, tenantId)
                .subjectUser(caller.id()));
    }

    /** New recovery codes for the caller, proven with a current code; the old ones stop working. */
    @Transactional(dontRollbackOn = ProblemException.class)
    public List<String> regenerateRecoveryCodes(CallerView caller, String code) {
        byte[] secret = secrets.secret(caller.id(), true);
        if (secret == null) {
            throw notEnabled();
        }
        checkCode(caller.id(), caller.tenantId(), () -> secrets.accept(caller.id(), secret, code));
        securityEvents.record(SecurityEvent.of(SecurityEventType.MFA_RECOVERY_CODES_REGENERATED, caller.tenantId())
                .subjectUser(caller.id()));
        return recoveryCodes.replace(caller.id());
    }

    /**
     * An admin turns a member's MFA off (they enrol again): an account-wide change, so only for an account the
     * admin's tenant manages ({@link AccountChanges}). It ends every session of the account and every artefact
     * made before it: whoever holds them may be why the factor is reset.
     */
    @Transactional
    public void reset(CallerView admin, UUID userId) {
        User user = accounts.accountToChange(admin, userId).user();
        if (!enabled(userId) && secrets.secret(userId, false) == null) {
            throw notEnabled();
        }
        remove(userId);
        user.resetSecondFactor();
        sessionRevocations.fire(new AllSessionsRevoked(userId));
        accounts.recordInEveryTenant(userId, tenantId -> SecurityEvent.of(SecurityEventType.MFA_RESET, tenantId)
                .subjectUser(userId));
    }

    /**
     * The second step of a sign-in: a current TOTP code (once) or an unused recovery code (then used up).
     * False for anything else; the caller counts the failure (a failed login) and records its event.
     */
    public boolean verify(UUID userId, UUID tenantId, String code, String recoveryCode) {
        if (recoveryCode != null && !recoveryCode.isBlank()) {
            OptionalLong left = recoveryCodes.use(userId, recoveryCode);
            if (left.isPresent()) {
                securityEvents.record(SecurityEvent.of(SecurityEventType.MFA_RECOVERY_CODE_USED, tenantId).actor(userId)
                        .subjectUser(userId).detail("recovery_codes_left", left.getAsLong()));
                return true;
            }
        } else {
            byte[] secret = secrets.secret(userId, true);
            if (secret != null && secrets.accept(userId, secret, code)) {
                return true;
            }
        }
        return false;
    }

    public boolean enabled(UUID userId) {
        return secrets.confirmed(userId);
    }

    private void remove(UUID userId) {
        secrets.delete(userId);
        recoveryCodes.deleteAll(userId);
        callerChanges.fire(CallerChanged.user(userId));
    }

    /**
     * A code check of a signed-in person, counted like a password's ({@link LoginAttempts}: 429 while the pair
     * waits) in the caller's transaction, which commits when the check fails: 400 invalid-mfa-code then.
     */
    private void checkCode(UUID userId, UUID tenantId, BooleanSupplier check) {
        LoginAttempts.Attempt attempt = attempts.claim(Emails.normalize(em.find(User.class, userId).email()));
        attempt.requireAllowed();
        if (!check.getAsBoolean()) {
            attempts.failed(attempt, SecurityEvent.of(SecurityEventType.MFA_CODE_FAILED, tenantId).actor(userId)
                    .subjectUser(userId).failed());
            throw invalidCode();
        }
        attempts.succeeded(attempt);
    }

    public static ProblemException invalidCode() {
        return new ProblemException(ProblemType.INVALID_MFA_CODE, "The code is not valid.");
    }

    private static ProblemException notEnabled() {
        return new ProblemException(ProblemType.MFA_NOT_ENABLED, "Multi-factor authentication is not on.");
    }
}
