package dev.gatehouse.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Proxy;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** The bucket store stays bounded without handing a fresh budget to an address that is spending its own. */
class RateLimitsTest {

    private static final long PER_MINUTE = 3;

    private static RateLimits limits(int maxAddresses) {
        RateLimits limits = new RateLimits();
        limits.enabled = true;
        limits.maxAddresses = maxAddresses;
        limits.config = (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[] {Config.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getValue")) {
                        return PER_MINUTE;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return limits;
    }

    @Test
    void aFullStoreEvictsTheLeastRecentlyUsedBudgetsNotTheOneInUse() {
        RateLimits limits = limits(10);
        for (int i = 0; i < PER_MINUTE; i++) {
            limits.take("login", "198.51.100.1");
        }
        assertFalse(limits.take("login", "198.51.100.1").allowed(), "the budget is spent");
        // a flood from many other addresses, each spending one token, while the spent address keeps trying
        for (int i = 0; i < 100; i++) {
            limits.take("login", "203.0.113." + i);
            assertFalse(limits.take("login", "198.51.100.1").allowed(), "after " + (i + 1) + " other addresses");
        }
        // an address of the flood's start was evicted: it starts with a full budget again
        assertEquals(PER_MINUTE - 1, limits.take("login", "203.0.113.0").remaining());
        // and one used last is still there with its spent token
        assertEquals(PER_MINUTE - 2, limits.take("login", "203.0.113.99").remaining());
    }
}
