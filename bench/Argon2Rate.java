import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Argon2id hashes per second with the server's parameters (m = 19 MiB, t = 2, p = 1): one thread, then one per core. */
public class Argon2Rate {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int cores = Runtime.getRuntime().availableProcessors();
        rate(1, 3); // warm-up
        double one = rate(1, seconds);
        double all = rate(cores, seconds);
        System.out.printf(java.util.Locale.ROOT, "ARGON2 {\"one_core\":%.2f,\"all_cores\":%.2f,\"threads\":%d}%n", one, all, cores);
    }

    static double rate(int threads, int seconds) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = Thread.ofPlatform().start(() -> {
                byte[] salt = new byte[16];
                byte[] out = new byte[32];
                byte[] password = "bench password 0123".getBytes(StandardCharsets.UTF_8);
                while (System.nanoTime() < end) {
                    Argon2BytesGenerator generator = new Argon2BytesGenerator();
                    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                            .withMemoryAsKB(19 * 1024).withIterations(2).withParallelism(1).withSalt(salt).build());
                    generator.generateBytes(password, out);
                    done.incrementAndGet();
                }
            });
        }
        long started = System.nanoTime();
        for (Thread t : workers) {
            t.join();
        }
        return done.get() / ((System.nanoTime() - started) / 1e9);
    }
}
