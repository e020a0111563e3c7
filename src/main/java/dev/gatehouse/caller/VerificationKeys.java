package dev.gatehouse.caller;

import dev.gatehouse.platform.persistence.DatabaseMigrations;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The public halves of the signing keys whose tokens are accepted (table signing_keys, V20): next, current,
 * and previous until the last token it signed has expired. Held in memory so that verifying a token reads no
 * database; reloaded whole when the keys change: by the instance that changed them once its transaction has
 * committed, and on every instance by {@link CallerChangeListener} on the notification the table's trigger sends.
 * A revoked key is not loaded, so its tokens are refused from the reload on, cached or not.
 */
@ApplicationScoped
public class VerificationKeys {

    /** One published key; {@code publishedUntil} is null while it signs or waits to. */
    public record PublishedKey(String kid, String algorithm, String state, PublicKey publicKey, Instant publishedUntil) {

        boolean publishedAt(Instant now) {
            return publishedUntil == null || now.isBefore(publishedUntil);
        }
    }

    private record KeySet(Map<String, PublishedKey> byKid, String currentKid) {
    }

    private static final KeySet EMPTY = new KeySet(Map.of(), null);

    @Resource(lookup = DatabaseMigrations.DATASOURCE)
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.access-token-minutes")
    int accessTokenMinutes;

    private volatile KeySet keys = EMPTY;

    /** The key of this kid when its tokens are accepted now; null when unknown, revoked or past publication. */
    public PublishedKey accepted(String kid) {
        PublishedKey key = keySet().byKid().get(kid);
        return key != null && key.publishedAt(Instant.now()) ? key : null;
    }

    /** The keys to try for a token without a kid, and the keys the JWKS document lists. */
    public List<PublishedKey> published() {
        Instant now = Instant.now();
        return keySet().byKid().values().stream().filter(key -> key.publishedAt(now)).toList();
    }

    /** The kid of the key that signs; null before the first key exists. */
    public String currentKid() {
        return keySet().currentKid();
    }

    /** Loaded at first use (after the startup that creates the first key): an empty set is read again. */
    private KeySet keySet() {
        if (keys.currentKid() == null) {
            reload();
        }
        return keys;
    }

    /** Reads the accepted keys again; what was loaded before stays in use if the database cannot be read. */
    public synchronized void reload() {
        Duration lifetime = Duration.ofMinutes(accessTokenMinutes);
        List<PublishedKey> read = new ArrayList<>();
        try (Connection db = dataSource.getConnection();
             PreparedStatement select = db.prepareStatement("""
                     select kid, algorithm, state, public_key, retired_at from signing_keys
                     where state in ('next', 'current') or (state = 'previous' and retired_at > ?)""")) {
            select.setTimestamp(1, Timestamp.from(Instant.now().minus(lifetime)));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Timestamp retired = rows.getTimestamp("retired_at");
                    String state = rows.getString("state");
                    read.add(new PublishedKey(rows.getString("kid"), rows.getString("algorithm"), state,
                            publicKey(rows.getString("algorithm"), rows.getBytes("public_key")),
                            state.equals("previous") ? retired.toInstant().plus(lifetime) : null));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the signing keys", e);
        }
        String current = read.stream().filter(key -> key.state().equals("current")).map(PublishedKey::kid)
                .findFirst().orElse(null);
        keys = new KeySet(read.stream().collect(Collectors.toUnmodifiableMap(PublishedKey::kid, Function.identity())), current);
    }

    /** An X.509 SubjectPublicKeyInfo of an RSA (RS256) or EC P-256 (ES256) key. */
    public static PublicKey publicKey(String algorithm, byte[] encoded) {
        try {
            return KeyFactory.getInstance(algorithm.equals("ES256") ? "EC" : "RSA").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A stored signing key is not a valid " + algorithm + " public key", e);
        }
    }
}
