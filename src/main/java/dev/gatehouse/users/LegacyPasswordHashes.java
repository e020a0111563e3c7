package dev.gatehouse.users;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The other password hashes an account may sign in with until it has one password of its own (table
 * legacy_password_hashes, V17): one person with users in several tenants of the v1 core had a password in each.
 * The first successful sign-in settles it: the account's password_hash becomes an Argon2id hash of the password
 * that matched, and a trigger drops the others (as does any password change or reset).
 */
@ApplicationScoped
public class LegacyPasswordHashes {

    @Inject
    EntityManager em;

    /**
     * The hashes a login checks for an account whose own hash is {@code accountHash}: that one alone when it is
     * native (an account with a native hash has settled; none of its legacy hashes are left), else that one first
     * and then the account's other legacy hashes, oldest first: one statement, only while the account is unsettled.
     */
    public List<String> toCheck(UUID userId, String accountHash) {
        if (PasswordHasher.isNative(accountHash)) {
            return List.of(accountHash);
        }
        List<String> hashes = new ArrayList<>();
        hashes.add(accountHash);
        for (Object hash : em.createNativeQuery("""
                        select hash from legacy_password_hashes where user_id = ?1 and hash <> ?2
                        order by created_at, hash""")
                .setParameter(1, userId).setParameter(2, accountHash).getResultList()) {
            hashes.add((String) hash);
        }
        return hashes;
    }
}
