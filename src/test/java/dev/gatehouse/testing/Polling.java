package dev.gatehouse.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests: for a condition or a value, with a timeout that fails the test. */
public final class Polling {

    /** Short, so a pass costs little; for cheap conditions. */
    private static final Duration DEFAULT_INTERVAL = Duration.ofMillis(20);

    private Polling() {
    }

    /** Polls the condition until it holds; fails the test when it still does not after the timeout. */
    public static void awaitTrue(Duration timeout, String what, BooleanSupplier condition) {
        awaitTrue(timeout, DEFAULT_INTERVAL, what, condition);
    }

    /** As above, every interval: for conditions that cost a request or a file read. */
    public static void awaitTrue(Duration timeout, Duration interval, String what, BooleanSupplier condition) {
        awaitPresent(timeout, interval, what, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
    }

    /** Polls until the probe finds a value and returns it; fails the test when none comes within the timeout. */
    public static <T> T awaitPresent(Duration timeout, Duration interval, String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            sleep(interval.toMillis());
        }
    }

    /** Thread.sleep without the checked exception; an interrupt fails the caller (the flag stays set). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
