package dev.gatehouse.mfa;

import dev.gatehouse.platform.RandomTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The table mfa_recovery_codes: single-use codes kept as SHA-256 (80 random bits each, so a fast hash is
 * enough). All its SQL is here. Callers run inside a transaction.
 */
@ApplicationScoped
public class RecoveryCodeStore {

    private static final int CODES = 10;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    EntityManager em;

    /** Ten new codes in place of the old: two statements, whatever the number of codes. */
    List<String> replace(UUID userId) {
        deleteAll(userId);
        List<String> codes = new ArrayList<>();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < CODES; i++) {
            StringBuilder code = new StringBuilder();
            for (int c = 0; c < 16; c++) { // 16 × 5 bits = 80 bits
                code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
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
            insert.setParameter(i + 2, RandomTokens.sha256(normalize(codes.get(i))));
        }
        insert.executeUpdate();
        return codes;
    }

    /** Uses the code up when it is one of the account's unused ones: how many are left then; empty otherwise. */
    OptionalLong use(UUID userId, String code) {
        int used = em.createNativeQuery("""
                        update mfa_recovery_codes set used_at = now()
                        where user_id = ?1 and code_hash = ?2 and used_at is null""")
                .setParameter(1, userId).setParameter(2, RandomTokens.sha256(normalize(code))).executeUpdate();
        if (used != 1) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(((Number) em.createNativeQuery(
                        "select count(*) from mfa_recovery_codes where user_id = ?1 and used_at is null")
                .setParameter(1, userId).getSingleResult()).longValue());
    }

    void deleteAll(UUID userId) {
        em.createNativeQuery("delete from mfa_recovery_codes where user_id = ?1").setParameter(1, userId).executeUpdate();
    }

    /** Typed by people: case and dashes or spaces do not matter. */
    private static String normalize(String code) {
        return code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }
}
