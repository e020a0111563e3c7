package dev.gatehouse.caller;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The callers of recent requests (account, tenant and permission state), so that an authenticated request
 * makes no query of its own. A cached view is never older than the last committed change, up to the time
 * PostgreSQL takes to deliver a notification to the other instances (milliseconds), because:
 * <ol>
 * <li>every committed change to what a view holds evicts it: on the instance that made it right after the
 * commit (the change announces itself with a {@link CallerChanged} event), and on every instance through the
 * NOTIFY that triggers send (V4 migration, {@link CallerChangeListener}), which also covers changes made
 * outside Gatehouse;</li>
 * <li>a view read before an eviction is never kept after it: a fill notes the eviction count before its
 * query and takes its entry back if the count moved by the time the entry is in;</li>
 * <li>nothing is cached while the listener has no live connection, since notifications could be missed.</li>
 * </ol>
 * Entries also expire, as a bound on anything unforeseen, each after its own random share of the last quarter
 * of the TTL: callers first seen together (a deployment, a burst of logins) must not all come back to the
 * database in the same second. In the benchmark, 5,000 callers filled within seconds expired within 3 s of
 * each other and the refill queued on the JDBC pool for up to 1.8 s.
 */
@ApplicationScoped
public class CallerCache {

    private record Entry(CallerView view, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<UUID, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();
    private volatile boolean listening;

    @Inject
    @ConfigProperty(name = "gatehouse.caller-cache.enabled")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "gatehouse.caller-cache.ttl-seconds")
    long ttlSeconds;

    @Inject
    @ConfigProperty(name = "gatehouse.caller-cache.max-entries")
    int maxEntries;

    /** The cached view of this user, or the one the loader reads (kept when the rules above allow). */
    public Optional<CallerView> get(UUID userId, Function<UUID, Optional<CallerView>> loader) {
        long now = System.nanoTime();
        Entry cached = entries.get(userId);
        if (cached != null && now - cached.expiresAtNanos() < 0) {
            return Optional.of(cached.view());
        }
        long evictionsBefore = evictions.get();
        Optional<CallerView> loaded = loader.apply(userId);
        if (loaded.isPresent() && enabled && listening) {
            if (entries.size() >= maxEntries) {
                entries.clear(); // rare and cheap to refill; a clear only drops views, so no eviction count is needed
            }
            Entry fresh = new Entry(loaded.get(), now + lifetimeNanos());
            entries.put(userId, fresh);
            if (evictions.get() != evictionsBefore) {
                entries.remove(userId, fresh);
            }
        }
        return loaded;
    }

    /** Between 3/4 of the TTL and the TTL. */
    long lifetimeNanos() {
        long ttl = TimeUnit.SECONDS.toNanos(ttlSeconds);
        return ttl - ThreadLocalRandom.current().nextLong(ttl / 4 + 1);
    }

    /**
     * A change announced by the transaction that made it, once it has committed (immediately when it ran
     * outside a transaction); a rolled-back change evicts nothing.
     */
    void onCallerChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) CallerChanged change) {
        if (change.userId() != null) {
            evictUser(change.userId());
        }
        if (change.tenantId() != null) {
            evictTenant(change.tenantId());
        }
    }

    void evictUser(UUID userId) {
        evictions.incrementAndGet();
        entries.remove(userId);
    }

    void evictTenant(UUID tenantId) {
        evictions.incrementAndGet();
        entries.values().removeIf(entry -> entry.view().tenantId().equals(tenantId));
    }

    void evictAll() {
        evictions.incrementAndGet();
        entries.clear();
    }

    /** The listener has a live connection again: what was cached before may have missed notifications. */
    void startCaching() {
        evictAll();
        listening = true;
    }

    void stopCaching() {
        listening = false;
        evictAll();
    }
}
