package dev.gatehouse.mfa;

import dev.gatehouse.platform.EncryptionKey;
import dev.gatehouse.platform.Timestamps;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.UUID;

/**
 * The table mfa_totp: an account's TOTP secret, sealed at rest under gatehouse.mfa.encryption-key, pending until
 * confirmed. All its SQL is here; {@link TotpSecret} maps it only for the login's projection. Callers run inside
 * a transaction.
 */
@ApplicationScoped
public class TotpSecrets {

    @Inject
    EntityManager em;

    /** TOTP secrets are sealed under it. */
    private EncryptionKey key;

    @PostConstruct
    void loadKey() {
        key = EncryptionKey.of("gatehouse.mfa.encryption-key", "mfa/encryption-key");
    }

    /** A new pending secret in place of any pending one; one statement. */
    void storePending(UUID userId, byte[] secret) {
        em.createNativeQuery("""
                        insert into mfa_totp (user_id, secret_ciphertext, created_at) values (?1, ?2, ?3)
                        on conflict (user_id) do update set secret_ciphertext = excluded.secret_ciphertext,
                            created_at = excluded.created_at, last_used_step = 0""")
                .setParameter(1, userId).setParameter(2, key.seal(secret)).setParameter(3, Timestamps.now())
                .executeUpdate();
    }

    void confirm(UUID userId) {
        em.createNativeQuery("update mfa_totp set confirmed_at = ?2 where user_id = ?1")
                .setParameter(1, userId).setParameter(2, Timestamps.now()).executeUpdate();
    }

    boolean confirmed(UUID userId) {
        return !em.createNativeQuery("select 1 from mfa_totp where user_id = ?1 and confirmed_at is not null")
                .setParameter(1, userId).getResultList().isEmpty();
    }

    /** The decrypted secret: of the active factor, or of the enrolment in progress; null when there is none. */
    byte[] secret(UUID userId, boolean confirmed) {
        List<?> rows = em.createNativeQuery("select secret_ciphertext from mfa_totp where user_id = ?1 and (confirmed_at is not null) = ?2")
                .setParameter(1, userId).setParameter(2, confirmed).getResultList();
        return rows.isEmpty() ? null : key.open((byte[]) rows.getFirst());
    }

    /** Accepts a code of a time step later than the last accepted one, and records its step: no replay. */
    boolean accept(UUID userId, byte[] secret, String code) {
        long step = Totp.matchingStep(secret, code == null ? null : code.strip(), System.currentTimeMillis() / 1000);
        return step >= 0 && em.createNativeQuery("update mfa_totp set last_used_step = ?2 where user_id = ?1 and last_used_step < ?2")
                .setParameter(1, userId).setParameter(2, step).executeUpdate() == 1;
    }

    void delete(UUID userId) {
        em.createNativeQuery("delete from mfa_totp where user_id = ?1").setParameter(1, userId).executeUpdate();
    }
}
