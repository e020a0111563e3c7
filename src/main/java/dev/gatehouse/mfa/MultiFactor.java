package dev.gatehouse.mfa;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.Permissions;
import dev.gatehouse.mfa.MfaRecords.MfaPolicy;
import dev.gatehouse.mfa.MfaRecords.TotpEnrolment;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.problems.ProblemException;
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
import jakarta.ws.rs.core.Response.Status;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * TOTP (RFC 6238) with recovery codes for an account, and the tenant policy that requires them. The secret is
 * encrypted at rest ({@link SecretCipher}) and never shown after confirmation; a code is accepted once (only
 * a later time step passes after it); recovery codes are single use and kept as hashes.
 */
@ApplicationScoped
public class MultiFactor {

    private static final int SECRET_BYTES = 20; // 160 bits, RFC 4226's recommendation for HMAC-SHA1
    private static final int RECOVERY_CODES = 10;
    private static final String RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    EntityManager em;

    @Inject
    SecretCipher cipher;

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
            throw new ProblemException(Status.CONFLICT, "mfa-already-enabled",
                    "Multi-factor authentication is on already; disable it first to enrol a new authenticator.");
        }
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        em.createNativeQuery("""
                        insert into mfa_totp (user_id, secret_ciphertext, created_at) values (?1, ?2, ?3)
                        on conflict (user_id) do update set secret_ciphertext = excluded.secret_ciphertext,
                            created_at = excluded.created_at, last_used_step = 0""")
                .setParameter(1, userId).setParameter(2, cipher.encrypt(secret)).setParameter(3, Timestamps.now())
                .executeUpdate();
        String base32 = Base32.encode(secret);
        String label = URLEncoder.encode(issuer + ":" + email, StandardCharsets.UTF_8).replace("+", "%20");
        String uri = "otpauth://totp/" + label + "?secret=" + base32 + "&issuer="
                + URLEncoder.encode(issuer, StandardCharsets.UTF_8).replace("+", "%20")
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
        return new TotpEnrolment(base32, uri, qrCode(uri));
    }

    /** Activates the started enrolment with a current code and returns the first recovery codes. */
    @Transactional(dontRollbackOn = ProblemException.class)
    public List<String> confirm(UUID userId, UUID tenantId, String code) {
        byte[] secret = secret(userId, false);
        if (secret == null) {
            throw new ProblemException(Status.CONFLICT, "mfa-not-started",
                    "There is no enrolment to confirm: start one with POST /api/v1/users/me/mfa/totp.");
        }
        checkCode(userId, tenantId, () -> acceptTotp(userId, secret, code));
        em.createNativeQuery("update mfa_totp set confirmed_at = ?2 where user_id = ?1")
                .setParameter(1, userId).setParameter(2, Timestamps.now()).executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.MFA_ENROLLED, tenantId).actor(userId).subjectUser(userId));
        return newRecoveryCodes(userId);
    }

    /**
     * Turns MFA off for the caller, who has presented the password ({@link dev.gatehouse.users.PasswordConfirmation})
     * and proves the second factor here. A credential change: artefacts made before it die.
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public void disable(CallerView caller, String code) {
        byte[] secret = secret(caller.id(), true);
        if (secret == null) {
            throw notEnabled();
        }
        checkCode(caller.id(), caller.tenantId(), () -> acceptTotp(caller.id(), secret, code));
        remove(caller.id());
        em.find(User.class, caller.id()).endCredentialEpoch();
        accounts.recordInEveryTenant(caller.id(), tenantId -> SecurityEvent.of(SecurityEventType.MFA_DISABLED, tenantId)
                .subjectUser(caller.id()));
    }

    /** New recovery codes for the caller, proven with a current code; the old ones stop working. */
    @Transactional(dontRollbackOn = ProblemException.class)
    public List<String> regenerateRecoveryCodes(CallerView caller, String code) {
        byte[] secret = secret(caller.id(), true);
        if (secret == null) {
            throw notEnabled();
        }
        checkCode(caller.id(), caller.tenantId(), () -> acceptTotp(caller.id(), secret, code));
        securityEvents.record(SecurityEvent.of(SecurityEventType.MFA_RECOVERY_CODES_REGENERATED, caller.tenantId())
                .subjectUser(caller.id()));
        return newRecoveryCodes(caller.id());
    }

    /**
     * An admin turns a member's MFA off (they enrol again): an account-wide change, so only for an account the
     * admin's tenant manages ({@link AccountChanges}). It ends every session of the account and every artefact
     * made before it: whoever holds them may be why the factor is reset.
     */
    @Transactional
    public void reset(CallerView admin, UUID userId) {
        User user = accounts.accountToChange(admin, userId).user();
        if (!enabled(userId) && secret(userId, false) == null) {
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
            int used = em.createNativeQuery("""
                            update mfa_recovery_codes set used_at = now()
                            where user_id = ?1 and code_hash = ?2 and used_at is null""")
                    .setParameter(1, userId).setParameter(2, RandomTokens.sha256(normalizeRecoveryCode(recoveryCode))).executeUpdate();
            if (used == 1) {
                long left = ((Number) em.createNativeQuery(
                        "select count(*) from mfa_recovery_codes where user_id = ?1 and used_at is null")
                        .setParameter(1, userId).getSingleResult()).longValue();
                securityEvents.record(SecurityEvent.of(SecurityEventType.MFA_RECOVERY_CODE_USED, tenantId).actor(userId)
                        .subjectUser(userId).detail("recovery_codes_left", left));
                return true;
            }
        } else {
            byte[] secret = secret(userId, true);
            if (secret != null && acceptTotp(userId, secret, code)) {
                return true;
            }
        }
        return false;
    }

    public boolean enabled(UUID userId) {
        return !em.createNativeQuery("select 1 from mfa_totp where user_id = ?1 and confirmed_at is not null")
                .setParameter(1, userId).getResultList().isEmpty();
    }

    /**
     * Whether the tenant's policy names this member: everybody, or a holder of any permission it lists (a
     * superuser holds them all). One statement, run only for a tenant whose policy lists permissions. A listed
     * permission matches a held one by RBAC's wildcard rule either way round: {@code users:write} in the policy
     * names a holder of {@code users:*}, and {@code users:*} in the policy names a holder of {@code users:write}
     * (or of any other action on users), as an admin who lists it expects.
     */
    public boolean requiredByPermissions(UUID userId, UUID tenantId, List<String> requiredPermissions) {
        Object[] row = (Object[]) em.createNativeQuery("""
                        select m.is_superuser,
                               (select string_agg(rp.permission_name, ',') from user_roles ur
                                join roles r on r.id = ur.role_id and r.tenant_id = m.tenant_id
                                join role_permissions rp on rp.role_id = r.id where ur.user_id = m.user_id)
                        from memberships m where m.user_id = ?1 and m.tenant_id = ?2""")
                .setParameter(1, userId).setParameter(2, tenantId).getSingleResult();
        if (Boolean.TRUE.equals(row[0])) {
            return true;
        }
        var held = Permissions.parse((String) row[1]);
        return requiredPermissions.stream().anyMatch(listed -> Permissions.implies(held, listed)
                || held.stream().anyMatch(h -> Permissions.implies(Set.of(listed), h)));
    }

    public MfaPolicy policy(UUID tenantId) {
        List<?> rows = em.createNativeQuery("select require_all, required_permissions from tenant_mfa_policies where tenant_id = ?1")
                .setParameter(1, tenantId).getResultList();
        if (rows.isEmpty()) {
            return new MfaPolicy(false, List.of());
        }
        Object[] row = (Object[]) rows.getFirst();
        return new MfaPolicy((Boolean) row[0], permissionList((String) row[1]));
    }

    /** Permissions must be in the catalogue; the policy applies from each member's next sign-in. */
    @Transactional
    public MfaPolicy changePolicy(CallerView admin, MfaPolicy policy) {
        List<String> permissions = policy.requiredPermissions().stream().map(String::strip).distinct().sorted().toList();
        if (!permissions.isEmpty()) {
            long known = ((Number) em.createNativeQuery("select count(*) from permissions where name = any(cast(?1 as text[]))")
                    .setParameter(1, "{" + String.join(",", permissions) + "}").getSingleResult()).longValue();
            if (known != permissions.size()) {
                throw ProblemException.invalidField("required_permissions", "names a permission that does not exist");
            }
        }
        em.createNativeQuery("""
                        insert into tenant_mfa_policies (tenant_id, require_all, required_permissions, updated_at)
                        values (?1, ?2, ?3, ?4)
                        on conflict (tenant_id) do update set require_all = excluded.require_all,
                            required_permissions = excluded.required_permissions, updated_at = excluded.updated_at""")
                .setParameter(1, admin.tenantId()).setParameter(2, policy.requireAll())
                .setParameter(3, String.join(",", permissions)).setParameter(4, Timestamps.now()).executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.MFA_POLICY_CHANGED, admin.tenantId())
                .detail("require_all", policy.requireAll()).detail("required_permissions", permissions));
        return new MfaPolicy(policy.requireAll(), permissions);
    }

    public static List<String> permissionList(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isEmpty() ? List.of() : List.of(commaSeparated.split(","));
    }

    /** Accepts a code of a time step later than the last accepted one, and records its step: no replay. */
    private boolean acceptTotp(UUID userId, byte[] secret, String code) {
        long step = Totp.matchingStep(secret, code == null ? null : code.strip(), System.currentTimeMillis() / 1000);
        return step >= 0 && em.createNativeQuery("update mfa_totp set last_used_step = ?2 where user_id = ?1 and last_used_step < ?2")
                .setParameter(1, userId).setParameter(2, step).executeUpdate() == 1;
    }

    /** The decrypted secret: of the active factor, or of the enrolment in progress; null when there is none. */
    private byte[] secret(UUID userId, boolean confirmed) {
        List<?> rows = em.createNativeQuery("select secret_ciphertext from mfa_totp where user_id = ?1 and (confirmed_at is not null) = ?2")
                .setParameter(1, userId).setParameter(2, confirmed).getResultList();
        return rows.isEmpty() ? null : cipher.decrypt((byte[]) rows.getFirst());
    }

    private void remove(UUID userId) {
        em.createNativeQuery("delete from mfa_totp where user_id = ?1").setParameter(1, userId).executeUpdate();
        em.createNativeQuery("delete from mfa_recovery_codes where user_id = ?1").setParameter(1, userId).executeUpdate();
        callerChanges.fire(CallerChanged.user(userId));
    }

    /** Ten new codes in place of the old: two statements, whatever the number of codes. */
    private List<String> newRecoveryCodes(UUID userId) {
        em.createNativeQuery("delete from mfa_recovery_codes where user_id = ?1").setParameter(1, userId).executeUpdate();
        List<String> codes = new ArrayList<>();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            StringBuilder code = new StringBuilder();
            for (int c = 0; c < 16; c++) { // 16 × 5 bits = 80 bits
                code.append(RECOVERY_ALPHABET.charAt(RANDOM.nextInt(RECOVERY_ALPHABET.length())));
                if (c % 4 == 3 && c < 15) {
                    code.append('-');
                }
            }
            codes.add(code.toString());
            values.append(i == 0 ? "" : ", ").append("(?1, ?").append(i + 2).append(')');
        }
        var insert = em.createNativeQuery("insert into mfa_recovery_codes (user_id, code_hash) values " + values)
                .setParameter(1, userId);
        for (int i = 0; i < codes.size(); i++) {
            insert.setParameter(i + 2, RandomTokens.sha256(normalizeRecoveryCode(codes.get(i))));
        }
        insert.executeUpdate();
        return codes;
    }

    /** Typed by people: case and dashes or spaces do not matter. */
    private static String normalizeRecoveryCode(String code) {
        return code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
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
        return new ProblemException(Status.BAD_REQUEST, "invalid-mfa-code", "The code is not valid.");
    }

    private static ProblemException notEnabled() {
        return new ProblemException(Status.CONFLICT, "mfa-not-enabled", "Multi-factor authentication is not on.");
    }

    private static String qrCode(String uri) {
        try {
            BitMatrix matrix = new QRCodeWriter().encode(uri, BarcodeFormat.QR_CODE, 240, 240);
            BufferedImage image = new BufferedImage(matrix.getWidth(), matrix.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
            for (int y = 0; y < matrix.getHeight(); y++) {
                for (int x = 0; x < matrix.getWidth(); x++) {
                    image.setRGB(x, y, matrix.get(x, y) ? 0x000000 : 0xFFFFFF);
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
        } catch (WriterException | IOException e) {
            throw new IllegalStateException("Cannot draw the QR code", e);
        }
    }
}
