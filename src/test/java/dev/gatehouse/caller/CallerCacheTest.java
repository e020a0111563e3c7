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
import java.util.function.BiFunction;
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
        cache.get(user, tenant, (id, in) -> {
            cache.evictUser(id);
            return load(id, in);
        });
        get(user);
        assertEquals(2, loads.get());
    }

    @Test
    void anAccountHasOneEntryPerTenantAndAUserEvictionDropsThemAll() {
        UUID secondTenant = UUID.randomUUID();
        get(user, tenant);
        get(user, secondTenant);
        get(user, tenant);
        get(user, secondTenant);
        assertEquals(2, loads.get(), "one load per tenant, each then served from memory");
        cache.evictTenant(secondTenant);
        get(user, tenant);
        assertEquals(2, loads.get(), "a tenant eviction leaves the account's other tenant");
        cache.evictUser(user);
        get(user, tenant);
        get(user, secondTenant);
        assertEquals(4, loads.get());
    }

    @Test
    void aTenantEvictionDropsThatTenantsCallersOnly() {
        UUID colleague = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        UUID otherTenant = UUID.randomUUID();
        get(user);
        get(colleague);
        cache.get(stranger, otherTenant, this::load);
        cache.evictTenant(tenant);
        get(user);
        get(colleague);
        cache.get(stranger, otherTenant, this::load);
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
        BiFunction<UUID, UUID, Optional<CallerView>> unreachable = (id, in) -> {
            throw new IllegalStateException("database unreachable");
        };
        assertEquals(user, cache.get(user, tenant, unreachable).orElseThrow().id(), "within the grace: the view cached before");
        UUID uncached = UUID.randomUUID();
        assertThrows(IllegalStateException.class, () -> cache.get(uncached, tenant, unreachable));
    }

    @Test
    void afterTheOutageGraceNothingCachedIsServed() {
        cache.outageGraceSeconds = 0;
        get(user);
        cache.stopCaching();
        assertThrows(IllegalStateException.class, () -> cache.get(user, tenant, (id, in) -> {
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
        BiFunction<UUID, UUID, Optional<CallerView>> missing = (id, in) -> {
            loads.incrementAndGet();
            return Optional.empty();
        };
        cache.get(user, tenant, missing);
        cache.get(user, tenant, missing);
        assertEquals(2, loads.get());
    }

    private void get(UUID id) {
        get(id, tenant);
    }

    private void get(UUID id, UUID tenantId) {
        CallerView view = cache.get(id, tenantId, this::load).orElseThrow();
        assertEquals(id, view.id());
        assertEquals(tenantId, view.tenantId());
    }

    private Optional<CallerView> load(UUID id, UUID tenantId) {
        loads.incrementAndGet();
        Instant now = Instant.now();
        return Optional.of(new CallerView(id, tenantId, "a@example.com", false, "A", true, true, true, false, null, 0, now, now,
                Set.of("users:read"), Set.of(), false));
    }
}
