package dev.gatehouse.tokens;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.platform.EncryptionKey;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;

/**
 * The signing keys in the database (table signing_keys, V20): creating the first, rotating, revoking, and the
 * private key of the one that signs. Every change runs under one transaction-scoped advisory lock, so instances
 * never interleave a rotation; the unique indexes on the current and the next key back it up. Committed changes
 * reach every instance's {@link dev.gatehouse.caller.VerificationKeys} through the table's notify trigger.
 */
@ApplicationScoped
public class SigningKeyStore {

    private static final Logger LOG = Logger.getLogger(SigningKeyStore.class.getName());
    /** The advisory lock of signing-key changes (any constant no other lock uses). */
    private static final long LOCK = 0x6761746568L;
    /**
     * Inserts a key as current unless one is: two instances that create the first key at once both run it, and
     * the unique index makes the second wait for the first and insert nothing.
     */
    public static final String INSERT_CURRENT = """
            insert into signing_keys (kid, algorithm, state, public_key, private_key, activated_at)
            values (?, ?, 'current', ?, ?, now()) on conflict do nothing""";
    private static final String INSERT_NEXT = """
            insert into signing_keys (kid, algorithm, state, public_key, private_key)
            values (?, ?, 'next', ?, ?) on conflict do nothing""";

    /** A row of the admin listing. */
    public record KeyInfo(String kid, String algorithm, String state, Instant createdAt, Instant activatedAt,
                          Instant retiredAt, Instant revokedAt) {
    }

    /** Its connection is the transaction's: each change below, with its security event, commits or rolls back whole. */
    @Inject
    EntityManager em;

    /** The signing keys' private halves are sealed under it. */
    private EncryptionKey encryption;

    @PostConstruct
    void loadKey() {
        encryption = EncryptionKey.of("gatehouse.jwt.key-encryption-key", "jwt/key-encryption-key");
    }

    @Inject
    SecurityEvents events;

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.signing-algorithm")
    String algorithm;

    /**
     * At startup: a current key and a next key. The first current key is the deployment's key file when it has
     * one (gatehouse.jwt.private-key.location, or the key an earlier version generated into the data directory),
     * imported once; otherwise a new key.
     */
    @Transactional
    public void ensureKeys() {
        if (!algorithm.equals("RS256") && !algorithm.equals("ES256")) {
            throw new IllegalStateException("gatehouse.jwt.signing-algorithm must be RS256 or ES256, not " + algorithm);
        }
        work(db -> {
            lock(db);
            if (kidIn(db, "current") == null) {
                // the file only ever becomes the first key: once keys exist, a revoked file key must not return
                Path file = instantOf(db, "select created_at from signing_keys limit 1") == null ? SigningKeys.keyFileToImport() : null;
                insert(db, INSERT_CURRENT, file != null ? "RS256" : algorithm, file != null ? imported(file) : SigningKeys.generate(algorithm));
                LOG.info(file != null ? "Signing key imported from " + file : "Signing key generated");
            }
            if (kidIn(db, "next") == null) {
                insert(db, INSERT_NEXT, algorithm, SigningKeys.generate(algorithm));
            }
            return null;
        });
    }

    private static KeyPair imported(Path file) {
        try {
            return SigningKeys.readRsaPem(file);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot import the signing key file " + file, e);
        }
    }

    /**
     * current becomes previous, next becomes current (a new key when there is none) and a new next key is made;
     * answers the kid that signs now. {@code tenantId}: the tenant of the superuser who asked (the event's).
     */
    @Transactional
    public String rotate(UUID tenantId) {
        String[] retiredAndCurrent = work(db -> {
            lock(db);
            String retired = kidIn(db, "current");
            return new String[] {retired, promoteNext(db)};
        });
        events.record(SecurityEvent.of(SecurityEventType.SIGNING_KEY_ROTATED, tenantId)
                .detail("retired_kid", retiredAndCurrent[0]).detail("current_kid", retiredAndCurrent[1]).detail("scheduled", false));
        return retiredAndCurrent[1];
    }

    /**
     * The scheduled rotation: only when the current key has signed for {@code interval} and the next key has
     * been published for {@code published}; an instance that finds another one rotating skips its turn.
     */
    @Transactional
    public boolean rotateIfDue(Duration interval, Duration published) {
        String[] retiredAndCurrent = work(db -> {
            try (PreparedStatement tryLock = db.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                tryLock.setLong(1, LOCK);
                try (ResultSet got = tryLock.executeQuery()) {
                    if (!got.next() || !got.getBoolean(1)) {
                        return null;
                    }
                }
            }
            Instant now = Instant.now();
            Instant activated = instantOf(db, "select activated_at from signing_keys where state = 'current'");
            Instant nextCreated = instantOf(db, "select created_at from signing_keys where state = 'next'");
            if (activated == null || activated.plus(interval).isAfter(now)
                    || (nextCreated != null && nextCreated.plus(published).isAfter(now))) {
                return null;
            }
            String retired = kidIn(db, "current");
            return new String[] {retired, promoteNext(db)};
        });
        if (retiredAndCurrent == null) {
            return false;
        }
        events.record(SecurityEvent.of(SecurityEventType.SIGNING_KEY_ROTATED, null).actor(null)
                .detail("retired_kid", retiredAndCurrent[0]).detail("current_kid", retiredAndCurrent[1]).detail("scheduled", true));
        return true;
    }

    /**
     * Revokes a key (a compromise): its tokens are refused from the commit on. When it was the current key the
     * next one signs from now on (a new one when there is none); a new next key replaces a revoked next key.
     * Answers the revoked key; 404 problem for a kid that does not exist.
     */
    @Transactional
    public KeyInfo revoke(String kid, UUID tenantId) {
        KeyInfo key = work(db -> {
            lock(db);
            return list(db).stream().filter(k -> k.kid().equals(kid)).findFirst().orElse(null);
        });
        if (key == null) {
            throw new ProblemException(ProblemType.SIGNING_KEY_NOT_FOUND, "There is no signing key with this kid.");
        }
        if (key.state().equals("revoked")) {
            return key;
        }
        events.record(SecurityEvent.of(SecurityEventType.SIGNING_KEY_REVOKED, tenantId).detail("kid", kid).detail("was", key.state()));
        return work(db -> {
            update(db, "update signing_keys set state = 'revoked', revoked_at = now() where kid = ?", kid);
            if (key.state().equals("current")) {
                promoteNext(db);
            } else if (kidIn(db, "next") == null) {
                insert(db, INSERT_NEXT, algorithm, SigningKeys.generate(algorithm));
            }
            return list(db).stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow();
        });
    }

    @Transactional
    public List<KeyInfo> list() {
        return work(SigningKeyStore::list);
    }

    /** The private key of {@code kid} and its algorithm, decrypted. */
    @Transactional
    public AccessTokens.SigningKey signingKey(String kid) {
        return work(db -> {
            try (PreparedStatement select = db.prepareStatement("select algorithm, private_key from signing_keys where kid = ?")) {
                select.setString(1, kid);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalStateException("The signing key " + kid + " does not exist");
                    }
                    String keyAlgorithm = row.getString("algorithm");
                    PrivateKey key = SigningKeys.privateKey(keyAlgorithm, encryption.open(row.getBytes("private_key")));
                    return new AccessTokens.SigningKey(kid, keyAlgorithm, key);
                }
            }
        });
    }

    /** JDBC on the connection of the transaction (the one the security events are written on). */
    private <T> T work(ReturningWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(work);
    }

    private String promoteNext(Connection db) throws SQLException {
        update(db, "update signing_keys set state = 'previous', retired_at = now() where state = 'current'", null);
        String next = kidIn(db, "next");
        if (next != null) {
            update(db, "update signing_keys set state = 'current', activated_at = now() where kid = ?", next);
        } else {
            next = insert(db, INSERT_CURRENT, algorithm, SigningKeys.generate(algorithm));
        }
        insert(db, INSERT_NEXT, algorithm, SigningKeys.generate(algorithm));
        return next;
    }

    private String insert(Connection db, String sql, String keyAlgorithm, KeyPair pair) throws SQLException {
        String kid = SigningKeys.keyId(pair.getPublic());
        try (PreparedStatement insert = db.prepareStatement(sql)) {
            insert.setString(1, kid);
            insert.setString(2, keyAlgorithm);
            insert.setBytes(3, pair.getPublic().getEncoded());
            insert.setBytes(4, encryption.seal(pair.getPrivate().getEncoded()));
            insert.executeUpdate();
        }
        return kid;
    }

    private static void lock(Connection db) throws SQLException {
        try (PreparedStatement lock = db.prepareStatement("select pg_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK);
            lock.execute();
        }
    }

    private static void update(Connection db, String sql, String kid) throws SQLException {
        try (PreparedStatement update = db.prepareStatement(sql)) {
            if (kid != null) {
                update.setString(1, kid);
            }
            update.executeUpdate();
        }
    }

    private static String kidIn(Connection db, String state) throws SQLException {
        try (PreparedStatement select = db.prepareStatement("select kid from signing_keys where state = ?")) {
            select.setString(1, state);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private static Instant instantOf(Connection db, String sql) throws SQLException {
        try (PreparedStatement select = db.prepareStatement(sql); ResultSet row = select.executeQuery()) {
            return row.next() && row.getTimestamp(1) != null ? row.getTimestamp(1).toInstant() : null;
        }
    }

    private static List<KeyInfo> list(Connection db) throws SQLException {
        List<KeyInfo> keys = new ArrayList<>();
        try (PreparedStatement select = db.prepareStatement("""
                select kid, algorithm, state, created_at, activated_at, retired_at, revoked_at from signing_keys
                order by created_at desc, kid""");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                keys.add(new KeyInfo(rows.getString(1), rows.getString(2), rows.getString(3), instant(rows.getTimestamp(4)),
                        instant(rows.getTimestamp(5)), instant(rows.getTimestamp(6)), instant(rows.getTimestamp(7))));
            }
        }
        return keys;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
