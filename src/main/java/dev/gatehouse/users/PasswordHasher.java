package dev.gatehouse.users;

import dev.gatehouse.platform.http.RetryLater;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Argon2id password hashes at OWASP / ASVS 5.0 parameters (m = 19 MiB, t = 2, p = 1), stored in the PHC
 * string format with their parameters, so they can be raised later: a hash made with weaker parameters
 * {@link #needsRehash needs a rehash} and is replaced at the next successful login.
 * <p>
 * Bounded: at most gatehouse.password-hash.max-concurrent hashes run at once (default: half the cores, at
 * least one, so a login flood leaves the other half to every other request: docs/decisions/hash-slots.md, the login
 * flood), each taking one core and 19 MiB. A hash that gets no slot within gatehouse.password-hash.slot-wait-ms
 * answers 503 with Retry-After, so a flood of logins costs bounded CPU and heap instead of a queue without end.
 */
@ApplicationScoped
public class PasswordHasher {

    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private static final long DEFAULT_SLOT_WAIT_MILLIS = 200;

    private final SecureRandom random = new SecureRandom();
    private final Semaphore slots;
    private final long slotWaitMillis;
    /** Verified against when no account matches, so an unknown email costs the same as a wrong password. */
    private final String decoyHash;

    @Inject
    public PasswordHasher(@ConfigProperty(name = "gatehouse.password-hash.max-concurrent") Optional<Integer> maxConcurrent,
                          @ConfigProperty(name = "gatehouse.password-hash.slot-wait-ms") long slotWaitMillis) {
        this(maxConcurrent.orElse(defaultSlots()), slotWaitMillis);
    }

    /** The defaults; for unit tests and CDI's proxy. */
    public PasswordHasher() {
        this(defaultSlots(), DEFAULT_SLOT_WAIT_MILLIS);
    }

    private static int defaultSlots() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    PasswordHasher(int maxConcurrent, long slotWaitMillis) {
        this.slots = new Semaphore(maxConcurrent, true);
        this.slotWaitMillis = slotWaitMillis;
        this.decoyHash = hash("decoy password that never matches " + random.nextLong());
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /**
     * Constant-time check of a password against a stored hash: a native one, or one brought from another system
     * in a {@link LegacyPasswordFormats legacy format} (bcrypt, PBKDF2-SHA256, scrypt, other Argon2), run in a
     * hashing slot like a native one. A malformed or missing hash never matches and costs a decoy check.
     */
    public boolean verify(String password, String storedHash) {
        Matcher phc = storedHash == null ? null : PHC.matcher(storedHash);
        if (phc != null && phc.matches()) {
            byte[] salt = B64_DECODER.decode(phc.group(4));
            byte[] expected = B64_DECODER.decode(phc.group(5));
            byte[] actual = argon2(password, salt, Integer.parseInt(phc.group(1)), Integer.parseInt(phc.group(2)),
                    Integer.parseInt(phc.group(3)), expected.length);
            return MessageDigest.isEqual(expected, actual);
        }
        if (LegacyPasswordFormats.scheme(storedHash) != null) {
            return inSlot(() -> LegacyPasswordFormats.matches(password, storedHash));
        }
        verifyDecoy(password);
        return false;
    }

    /** Whether a stored hash is one this class writes (Argon2id in the PHC format), whatever its parameters. */
    public static boolean isNative(String storedHash) {
        return storedHash != null && PHC.matcher(storedHash).matches();
    }

    /**
     * The scheme of a hash a login can check: "argon2id" for a native one, else its {@link LegacyPasswordFormats
     * legacy format}'s; null for anything else (it would never match).
     */
    public static String scheme(String storedHash) {
        return isNative(storedHash) ? "argon2id" : LegacyPasswordFormats.scheme(storedHash);
    }

    /**
     * Spends the work of one verification, for callers that have no account to check against; false, as no
     * password is the decoy's.
     */
    public boolean verifyDecoy(String password) {
        verify(password, decoyHash);
        return false;
    }

    public boolean needsRehash(String storedHash) {
        Matcher phc = PHC.matcher(storedHash);
        return !phc.matches()
                || Integer.parseInt(phc.group(1)) < MEMORY_KIB
                || Integer.parseInt(phc.group(2)) < ITERATIONS;
    }

    private byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        return inSlot(() -> argon2Unbounded(password, salt, memoryKib, iterations, parallelism, length));
    }

    /** One password hash run in a slot: 503 with Retry-After when none frees up within the wait. */
    private <T> T inSlot(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(slotWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new RetryLater(ProblemType.BUSY,
                    "The server is busy checking passwords. Try again in a moment.", 1);
        }
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    private static byte[] argon2Unbounded(String password, byte[] salt, int memoryKib, int iterations, int parallelism,
                                          int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
