package dev.gatehouse.platform.http;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The token buckets of {@link RateLimited}: one per limit and client address, holding
 * gatehouse.rate-limit.&lt;name&gt;.per-minute tokens and refilled at that rate, so a client may spend its
 * minute's budget in a burst and then one request per 60/n seconds.
 * <p>
 * Per instance, in memory (Bucket4j's local buckets): a token costs no network round trip and no database
 * statement, and the limit keeps working when the database or the other instances do not. Behind a load
 * balancer of n instances an address gets up to n times the budget; these limits bound the cost of
 * floods, while the password-guessing budget that must hold cluster-wide is the per account one in
 * PostgreSQL (lockout/LoginAttempts).
 * <p>
 * At most gatehouse.rate-limit.max-addresses buckets are kept: past that, the full ones (the same as a new
 * bucket) are dropped, and if that is not enough (a flood from very many addresses) the least recently used
 * ones, down to nine tenths of the maximum. Never all: an address spending its budget right now stays the most
 * recent, so a flood from other addresses cannot hand it a fresh one.
 */
@ApplicationScoped
public class RateLimits {

    /** The answer for one request: allowed or not, and what the RateLimit headers say. */
    public record Outcome(String limit, boolean allowed, long capacity, long remaining, long resetSeconds) {
    }

    /** A bucket and when it was last taken from (System.nanoTime()), for eviction. */
    private static final class Entry {
        final Bucket bucket;
        final long capacity;
        volatile long lastUsed;

        Entry(Bucket bucket, long capacity) {
            this.bucket = bucket;
            this.capacity = capacity;
        }
    }

    @Inject
    Config config;

    @Inject
    @ConfigProperty(name = "gatehouse.rate-limit.enabled")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "gatehouse.rate-limit.max-addresses")
    int maxAddresses;

    private final Map<String, Long> perMinuteByLimit = new ConcurrentHashMap<>();
    private final Map<String, Entry> buckets = new ConcurrentHashMap<>();

    public boolean enabled() {
        return enabled;
    }

    public Outcome take(String limit, String address) {
        long perMinute = perMinuteByLimit.computeIfAbsent(limit,
                name -> config.getValue("gatehouse.rate-limit." + name + ".per-minute", Long.class));
        if (buckets.size() >= maxAddresses) {
            evict();
        }
        Entry entry = buckets.computeIfAbsent(limit + " " + address, key -> new Entry(Bucket.builder()
                .addLimit(bandwidth -> bandwidth.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .build(), perMinute));
        entry.lastUsed = System.nanoTime();
        ConsumptionProbe probe = entry.bucket.tryConsumeAndReturnRemaining(1);
        long waitNanos = probe.isConsumed() ? probe.getNanosToWaitForReset() : probe.getNanosToWaitForRefill();
        return new Outcome(limit, probe.isConsumed(), perMinute, probe.getRemainingTokens(), seconds(waitNanos));
    }

    /** One thread at a time: the others go on taking tokens meanwhile, and the size is checked again. */
    private synchronized void evict() {
        if (buckets.size() < maxAddresses) {
            return;
        }
        buckets.values().removeIf(entry -> entry.bucket.getAvailableTokens() >= entry.capacity);
        long keep = maxAddresses * 9L / 10;
        if (buckets.size() > keep) {
            // the oldest first; a bucket used while this runs may go too, and starts afresh: a rare race, not a reset of all
            List<Map.Entry<String, Entry>> oldestFirst = buckets.entrySet().stream()
                    .sorted(Comparator.comparingLong(e -> e.getValue().lastUsed)).toList();
            for (int i = 0; i < oldestFirst.size() - keep; i++) {
                buckets.remove(oldestFirst.get(i).getKey(), oldestFirst.get(i).getValue());
            }
        }
    }

    private static long seconds(long nanos) {
        return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }
}
