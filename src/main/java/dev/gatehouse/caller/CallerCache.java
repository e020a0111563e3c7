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
import java.util.function.BiFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The callers of recent requests (account, membership, tenant and permission state), one entry per account
 * and tenant, grouped by account so that a change to an account evicts its every tenant at once. An
 * authenticated request
 * makes no query of its own. A cached view is never older than the last committed change, up to the time
 * PostgreSQL takes to deliver a notification to the other instances (milliseconds), because:
 * <ol>
 * <li>every committed change to what a view holds evicts it: on the instance that made it right after the
 * commit (the change announces itself with a {@link CallerChanged} event), and on every instance through the
 * NOTIFY that triggers send (V4 migration, {@link CallerChangeListener}), which also covers changes made
 * outside Gatehouse;</li>
 * <li>a view read before an eviction is never kept after it: a fill notes the eviction count before its
 * query and takes its entry back if the count moved by the time the entry is in;</li>
 * <li>nothing is taken from the cache while the listener has no live connection, since notifications could
 * be missed: every request reads its caller again. Only when that read fails, because the database cannot be
 * reached, is the view cached before the outage served, for at most the outage grace after the listener lost
 * its connection: no revocation can commit while the database is down. After the grace such requests fail
 * (503), and when the listener is back the cache starts empty.</li>
 * </ol>
 * Entries also expire, as a bound on anything unforeseen, each after its own random share of the last quarter
 * of the TTL: callers first seen together (a deployment, a burst of logins) must not all come back to the
 * database in the same second, where their refill would queue on the JDBC pool (docs/decisions/caches.md).
 */
@ApplicationScoped
public class CallerCache {

    private record Entry(CallerView view, long expiresAtNanos) {
    }

    /** account id, then tenant id. */
    private final ConcurrentHashMap<UUID, ConcurrentHashMap<UUID, Entry>> entries = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();
    private volatile boolean listening;
    /** When the listener lost its connection (System.nanoTime), while it is down. */
    private volatile long listenerLostAtNanos;

    @Inject
    @ConfigProperty(name = "gatehouse.caller-cache.enabled")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "gatehouse.caller-cache.ttl-seconds")
    long ttlSeconds;

    @Inject
    @ConfigProperty(name = "gatehouse.caller-cache.max-entries")
    int maxEntries;

    @Inject
    @ConfigProperty(name = "gatehouse.caller-cache.outage-grace-seconds")
    long outageGraceSeconds;

    /** The cached view of this account in this tenant, or the one the loader reads (kept when the rules above allow). */
    public Optional<CallerView> get(UUID userId, UUID tenantId, BiFunction<UUID, UUID, Optional<CallerView>> loader) {
        long now = System.nanoTime();
        ConcurrentHashMap<UUID, Entry> tenants = entries.get(userId);
        Entry cached = tenants == null ? null : tenants.get(tenantId);
        boolean live = cached != null && now - cached.expiresAtNanos() < 0;
        if (live && listening) {
            return Optional.of(cached.view());
        }
        long evictionsBefore = evictions.get();
        Optional<CallerView> loaded;
        try {
            loaded = loader.apply(userId, tenantId);
        } catch (RuntimeException databaseUnreachable) {
            if (live && !listening && now - listenerLostAtNanos < TimeUnit.SECONDS.toNanos(outageGraceSeconds)) {
                return Optional.of(cached.view());
            }
            throw databaseUnreachable;
        }
        if (loaded.isPresent() && enabled && listening) {
            if (entries.size() >= maxEntries) { // accounts, not views: most accounts have one membership
                entries.clear(); // rare and cheap to refill; a clear only drops views, so no eviction count is needed
            }
            Entry fresh = new Entry(loaded.get(), now + lifetimeNanos());
            ConcurrentHashMap<UUID, Entry> into = entries.computeIfAbsent(userId, id -> new ConcurrentHashMap<>());
            into.put(tenantId, fresh);
            if (evictions.get() != evictionsBefore) {
                into.remove(tenantId, fresh);
            }
        }
        return loaded;
    }

    /** As {@link #get}, but never from the entry cached now: the caller is read again. */
    public Optional<CallerView> reload(UUID userId, UUID tenantId, BiFunction<UUID, UUID, Optional<CallerView>> loader) {
        ConcurrentHashMap<UUID, Entry> tenants = entries.get(userId);
        if (tenants != null) {
            tenants.remove(tenantId);
        }
        return get(userId, tenantId, loader);
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
        entries.values().forEach(tenants -> tenants.remove(tenantId));
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

    /** The listener lost its connection: entries stay, for the outage grace only (see the class comment). */
    void stopCaching() {
        if (listening) {
            listenerLostAtNanos = System.nanoTime();
            listening = false;
        }
    }
}
