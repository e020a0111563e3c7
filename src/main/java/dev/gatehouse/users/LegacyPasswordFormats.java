package dev.gatehouse.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Password hashes brought from another system (docs/security.md, "Imported password hashes"), each in one
 * documented string format and checked with BouncyCastle, never by hand:
 * <ul>
 * <li>bcrypt, the modular crypt form {@code $2a$}, {@code $2b$} or {@code $2y$}, cost 4 to 16 (passlib's and the
 * v1 core's {@code $2b$12$…}); only the password's first 72 bytes count, as in every bcrypt;</li>
 * <li>PBKDF2-HMAC-SHA256 in passlib's form {@code $pbkdf2-sha256$<rounds>$<salt>$<checksum>} (adapted base64:
 * {@code .} for {@code +}, no padding), at most 10 million rounds;</li>
 * <li>scrypt in passlib's form {@code $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<checksum>} (base64, no padding),
 * at most 128 MiB of memory (128·r·N bytes);</li>
 * <li>Argon2 in the PHC form {@code $argon2id|argon2i|argon2d$v=19|16$m=..,t=..,p=..$<salt>$<hash>}, with any
 * parameters up to m = 256 MiB, t = 16, p = 16.</li>
 * </ul>
 * Anything else, or parameters beyond those bounds (a hash that would cost a login seconds or gigabytes), is
 * no known format: it never matches. Every check is constant-time in its comparison.
 */
final class LegacyPasswordFormats {

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final Pattern PBKDF2_SHA256 = Pattern.compile(
            "\\$pbkdf2-sha256\\$(\\d{1,8})\\$([./A-Za-z0-9]+)\\$([./A-Za-z0-9]{43})");
    private static final Pattern SCRYPT = Pattern.compile(
            "\\$scrypt\\$ln=(\\d{1,2}),r=(\\d{1,3}),p=(\\d{1,3})\\$([+/A-Za-z0-9]*)\\$([+/A-Za-z0-9]{22,})");
    private static final Pattern ARGON2 = Pattern.compile(
            "\\$argon2(id|i|d)\\$v=(19|16)\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,3})\\$([+/A-Za-z0-9]{11,})\\$([+/A-Za-z0-9]{22,})");
    private static final long MAX_SCRYPT_BYTES = 128L * 1024 * 1024;
    private static final int MAX_ARGON2_KIB = 256 * 1024;

    private LegacyPasswordFormats() {
    }

    /**
     * The scheme of a hash in one of the formats above, within its bounds ("bcrypt", "pbkdf2-sha256", "scrypt",
     * "argon2id", "argon2i", "argon2d"); null for anything else.
     */
    static String scheme(String hash) {
        if (hash == null) {
            return null;
        }
        Matcher m = BCRYPT.matcher(hash);
        if (m.matches()) {
            int cost = Integer.parseInt(m.group(1));
            return cost >= 4 && cost <= 16 ? "bcrypt" : null;
        }
        m = PBKDF2_SHA256.matcher(hash);
        if (m.matches()) {
            int rounds = Integer.parseInt(m.group(1));
            return rounds >= 1 && rounds <= 10_000_000 && decodable(m.group(2)) ? "pbkdf2-sha256" : null;
        }
        m = SCRYPT.matcher(hash);
        if (m.matches()) {
            int logN = Integer.parseInt(m.group(1));
            int r = Integer.parseInt(m.group(2));
            int p = Integer.parseInt(m.group(3));
            boolean bounded = logN >= 1 && logN <= 24 && r >= 1 && p >= 1 && p <= 16
                    && 128L * r * (1L << logN) <= MAX_SCRYPT_BYTES && decodable(m.group(4), m.group(5));
            return bounded ? "scrypt" : null;
        }
        m = ARGON2.matcher(hash);
        if (m.matches()) {
            int memory = Integer.parseInt(m.group(3));
            int iterations = Integer.parseInt(m.group(4));
            int parallelism = Integer.parseInt(m.group(5));
            boolean bounded = parallelism >= 1 && parallelism <= 16 && memory >= 8 * parallelism
                    && memory <= MAX_ARGON2_KIB && iterations >= 1 && iterations <= 16 && decodable(m.group(6), m.group(7));
            return bounded ? "argon2" + m.group(1) : null;
        }
        return null;
    }

    /** Whether the password is the hash's; the hash must have a {@link #scheme}. Slow: a whole password hash. */
    static boolean matches(String password, String hash) {
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        String scheme = scheme(hash);
        if (scheme == null) {
            throw new IllegalArgumentException("not a known password hash format");
        }
        return switch (scheme) {
            // bcrypt keys on at most 72 bytes; checkPassword compares in constant time
            case "bcrypt" -> OpenBSDBCrypt.checkPassword(hash, Arrays.copyOf(secret, Math.min(secret.length, 72)));
            case "pbkdf2-sha256" -> pbkdf2Sha256(secret, PBKDF2_SHA256.matcher(hash));
            case "scrypt" -> scrypt(secret, SCRYPT.matcher(hash));
            default -> argon2(secret, ARGON2.matcher(hash));
        };
    }

    private static boolean pbkdf2Sha256(byte[] secret, Matcher m) {
        m.matches();
        byte[] salt = adaptedBase64(m.group(2));
        byte[] expected = adaptedBase64(m.group(3));
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
        generator.init(secret, salt, Integer.parseInt(m.group(1)));
        byte[] actual = ((KeyParameter) generator.generateDerivedMacParameters(expected.length * 8)).getKey();
        return MessageDigest.isEqual(expected, actual);
    }

    private static boolean scrypt(byte[] secret, Matcher m) {
        m.matches();
        byte[] salt = base64(m.group(4));
        byte[] expected = base64(m.group(5));
        byte[] actual = SCrypt.generate(secret, salt, 1 << Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private static boolean argon2(byte[] secret, Matcher m) {
        m.matches();
        int type = switch (m.group(1)) {
            case "id" -> Argon2Parameters.ARGON2_id;
            case "i" -> Argon2Parameters.ARGON2_i;
            default -> Argon2Parameters.ARGON2_d;
        };
        byte[] expected = base64(m.group(7));
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(type)
                .withVersion(m.group(2).equals("19") ? Argon2Parameters.ARGON2_VERSION_13 : Argon2Parameters.ARGON2_VERSION_10)
                .withSalt(base64(m.group(6)))
                .withMemoryAsKB(Integer.parseInt(m.group(3)))
                .withIterations(Integer.parseInt(m.group(4)))
                .withParallelism(Integer.parseInt(m.group(5)))
                .build());
        byte[] actual = new byte[expected.length];
        generator.generateBytes(secret, actual);
        return MessageDigest.isEqual(expected, actual);
    }

    /** passlib's "adapted base64": standard base64 with "." for "+", without padding. */
    private static byte[] adaptedBase64(String text) {
        return base64(text.replace('.', '+'));
    }

    private static byte[] base64(String unpadded) {
        return Base64.getDecoder().decode(unpadded + "=".repeat((4 - unpadded.length() % 4) % 4));
    }

    /** Unpadded base64 of whole bytes: a length of 4n + 1 characters encodes none. */
    private static boolean decodable(String... unpadded) {
        return Arrays.stream(unpadded).allMatch(text -> text.length() % 4 != 1);
    }
}
