package dev.gatehouse.caller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LongSummaryStatistics;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache's own rules, without a server: what it keeps, and what it must not keep. */
class CallerCacheTest {

    private final UUID tenant = UUID.randomUUID();
    private final UUID user = UUID.randomUUID();
    private final AtomicInteger loads = new AtomicInteger();
    private CallerCache cache;

    @BeforeEach
    void listeningCache() {
        cache = new CallerCache();
        cache.enabled = true;
        cache.ttlSeconds = 300;
        cache.maxEntries = 1000;
        cache.outageGraceSeconds = 30;
        cache.startCaching();
    }

    @Test
    void aLoadedCallerIsServedFromMemoryUntilEvicted() {
        get(user);
        get(user);
        assertEquals(1, loads.get());
        cache.evictUser(user);
        get(user);
        assertEquals(2, loads.get());
    }

    @Test
    void aReadRacingAnEvictionIsNotKept() {
        // the change commits (and evicts) while the request's query is under way: what it read may be old
        cache.get(user, id -> {
            cache.evictUser(id);
            return load(id, tenant);
        });
        get(user);
        assertEquals(2, loads.get());
    }

    @Test
    void aTenantEvictionDropsThatTenantsCallersOnly() {
        UUID colleague = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        UUID otherTenant = UUID.randomUUID();
        get(user);
        get(colleague);
        cache.get(stranger, id -> load(id, otherTenant));
        cache.evictTenant(tenant);
        get(user);
        get(colleague);
        cache.get(stranger, id -> load(id, otherTenant));
        assertEquals(5, loads.get());
    }

    @Test
    void nothingIsKeptWithoutAListener() {
        cache.stopCaching();
        get(user);
        get(user);
        assertEquals(2, loads.get());
        cache.startCaching();
        get(user);
        get(user);
        assertEquals(3, loads.get());
    }

    @Test
    void withoutAListenerACachedCallerIsServedOnlyWhenTheDatabaseCannotBeReached() {
        get(user);
        cache.stopCaching();
        get(user); // the database answers: read again, not served from memory
        assertEquals(2, loads.get());
        Function<UUID, Optional<CallerView>> unreachable = id -> {
            throw new IllegalStateException("database unreachable");
        };
        assertEquals(user, cache.get(user, unreachable).orElseThrow().id(), "within the grace: the view cached before");
        UUID uncached = UUID.randomUUID();
        assertThrows(IllegalStateException.class, () -> cache.get(uncached, unreachable));
    }

    @Test
    void afterTheOutageGraceNothingCachedIsServed() {
        cache.outageGraceSeconds = 0;
        get(user);
        cache.stopCaching();
        assertThrows(IllegalStateException.class, () -> cache.get(user, id -> {
            throw new IllegalStateException("database unreachable");
        }));
    }

    @Test
    void listeningAgainDropsWhatWasCachedBefore() {
        get(user);
        cache.startCaching(); // after a reconnect: notifications may have been missed meanwhile
        get(user);
        assertEquals(2, loads.get());
    }

    @Test
    void anExpiredEntryIsReadAgain() {
        cache.ttlSeconds = 0;
        get(user);
        get(user);
        assertEquals(2, loads.get());
    }

    @Test
    void entriesFilledTogetherExpireSpreadOverTheLastQuarterOfTheTtl() {
        long ttl = TimeUnit.SECONDS.toNanos(cache.ttlSeconds);
        LongSummaryStatistics lifetimes = LongStream.range(0, 1000).map(i -> cache.lifetimeNanos()).summaryStatistics();
        assertTrue(lifetimes.getMin() >= ttl * 3 / 4, "no entry lives less than 3/4 of the TTL");
        assertTrue(lifetimes.getMax() <= ttl, "no entry outlives the TTL");
        assertTrue(lifetimes.getMax() - lifetimes.getMin() > ttl / 5, "expiries are spread, not one instant");
    }

    @Test
    void anUnknownUserIsNotCached() {
        Function<UUID, Optional<CallerView>> missing = id -> {
            loads.incrementAndGet();
            return Optional.empty();
        };
        cache.get(user, missing);
        cache.get(user, missing);
        assertEquals(2, loads.get());
    }

    private void get(UUID id) {
        assertEquals(id, cache.get(id, key -> load(key, tenant)).orElseThrow().id());
    }

    private Optional<CallerView> load(UUID id, UUID tenantId) {
        loads.incrementAndGet();
        Instant now = Instant.now();
        return Optional.of(new CallerView(id, tenantId, "a@example.com", "A", true, true, false, null, 0, now, now,
                Set.of("users:read"), Set.of()));
    }
}
