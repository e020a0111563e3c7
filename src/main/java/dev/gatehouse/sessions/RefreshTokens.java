package dev.gatehouse.sessions;

import dev.gatehouse.access.Role;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.users.AllSessionsRevoked;
import dev.gatehouse.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opaque refresh tokens: 256 random bits, stored as SHA-256, rotated on every use. A rotated-out (or
 * otherwise revoked) token presented again revokes every live token of its family (RFC 9700 §4.14.2).
 * Callers run inside the request's transaction.
 */
@ApplicationScoped
public class RefreshTokens {

    @Inject
    EntityManager em;

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.refresh-token-days")
    int lifetimeDays;

    /** The owner of a token that was just rotated out, as the rotation read them. */
    public record Rotated(UUID familyId, UUID userId, UUID tenantId, int tokenVersion, List<String> roles, boolean usable) {
    }

    /** Starts a new family (a login) or continues one (a rotation); returns the token to hand out. */
    public String issue(UUID userId, UUID familyId, ClientInfo client) {
        String token = RandomTokens.newToken();
        User owner = em.getReference(User.class, userId);
        em.persist(new RefreshToken(owner, hash(token), familyId, Instant.now().plus(Duration.ofDays(lifetimeDays)), client));
        return token;
    }

    /**
     * Revokes the token if it is live and returns its owner's state, in one statement. The row lock makes
     * concurrent rotations of one token serial: exactly one of them sees it live.
     */
    public Optional<Rotated> rotateOut(String token) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        update refresh_tokens t set revoked_at = now()
                        from users u join tenants tn on tn.id = u.tenant_id
                        where t.token_hash = ?1 and t.revoked_at is null and t.expires_at > now() and u.id = t.user_id
                        returning t.family_id, u.id, u.tenant_id, u.token_version,
                                  (select string_agg(r.name, ',' order by r.name)
                                   from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id),
                                  u.is_active and tn.is_active""")
                .setParameter(1, hash(token))
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = rows.getFirst();
        List<String> roles = Role.names((String) row[4]);
        return Optional.of(new Rotated((UUID) row[0], (UUID) row[1], (UUID) row[2], ((Number) row[3]).intValue(),
                roles, (Boolean) row[5]));
    }

    /** Reuse detection: a token that is no longer live revokes whatever is still live in its family. */
    public void revokeFamilyOf(String token) {
        em.createNativeQuery("""
                        update refresh_tokens set revoked_at = now()
                        where revoked_at is null
                          and family_id = (select family_id from refresh_tokens where token_hash = ?1)""")
                .setParameter(1, hash(token))
                .executeUpdate();
    }

    /** Logout: the token stops working, whatever its state; unknown tokens are ignored. */
    public void revoke(String token) {
        em.createQuery("update RefreshToken t set t.revokedAt = :now where t.tokenHash = :hash and t.revokedAt is null")
                .setParameter("now", Instant.now())
                .setParameter("hash", hash(token))
                .executeUpdate();
    }

    /** Logout-all, and a change to the account that ends every session (observed in its transaction). */
    void revokeAllOf(@Observes AllSessionsRevoked revoked) {
        revokeAllOf(revoked.userId());
    }

    public void revokeAllOf(UUID userId) {
        em.createQuery("update RefreshToken t set t.revokedAt = :now where t.user.id = :user and t.revokedAt is null")
                .setParameter("now", Instant.now())
                .setParameter("user", userId)
                .executeUpdate();
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
