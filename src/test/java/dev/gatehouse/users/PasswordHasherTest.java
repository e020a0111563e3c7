package dev.gatehouse.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.platform.http.RetryLater;
import dev.gatehouse.platform.problems.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hashIsArgon2idAtOwaspParametersInPhcFormat() {
        String hash = hasher.hash("correct horse battery staple");
        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
    }

    @Test
    void verifiesTheRightPasswordOnly() {
        String hash = hasher.hash("correct horse battery staple");
        assertTrue(hasher.verify("correct horse battery staple", hash));
        assertFalse(hasher.verify("correct horse battery stapler", hash));
        assertFalse(hasher.verify("", hash));
    }

    /** Eight hashes at once with one slot and a 10 ms wait: the first runs, those that wait past 10 ms get 503. */
    @Test
    void aHashThatGetsNoSlotInTimeIsRefusedWith503() throws Exception {
        PasswordHasher oneSlot = new PasswordHasher(1, 10);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return oneSlot.hash("correct horse battery staple");
                }));
            }
            start.countDown();
            int hashed = 0;
            int refused = 0;
            for (Future<String> result : results) {
                try {
                    result.get();
                    hashed++;
                } catch (ExecutionException e) {
                    RetryLater busy = assertInstanceOf(RetryLater.class, e.getCause());
                    assertEquals(ProblemType.BUSY, busy.type());
                    assertEquals(1, busy.retryAfterSeconds());
                    refused++;
                }
            }
            assertTrue(hashed >= 1 && refused >= 1, hashed + " hashed, " + refused + " refused");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void samePasswordGetsDifferentSalts() {
        assertNotEquals(hasher.hash("same password here"), hasher.hash("same password here"));
    }

    @Test
    void malformedOrMissingHashesNeverMatch() {
        assertFalse(hasher.verify("anything at all", null));
        assertFalse(hasher.verify("anything at all", "plaintext"));
        assertFalse(hasher.verify("anything at all", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"));
    }

    @Test
    void weakerParametersStillVerifyAndNeedARehash() {
        // A hash as an older release with less memory and one pass would have stored it.
        byte[] salt = "somesaltsomesalt".getBytes(StandardCharsets.US_ASCII);
        Argon2BytesGenerator argon2 = new Argon2BytesGenerator();
        argon2.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(4096).withIterations(1).withParallelism(1).build());
        byte[] hash = new byte[32];
        argon2.generateBytes("an old password".getBytes(StandardCharsets.UTF_8), hash);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String weak = "$argon2id$v=19$m=4096,t=1,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);

        assertTrue(hasher.verify("an old password", weak));
        assertTrue(hasher.needsRehash(weak));
        assertFalse(hasher.needsRehash(hasher.hash("a current password")));
    }
}
