package dev.gatehouse.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private static final Optional<String> PROXIES = Optional.of("10.0.0.0/8, 192.168.1.7, 2001:db8:1::/48");

    /** Behind proxies that append to X-Forwarded-For (the default). */
    private final ClientAddress behindXForwardedFor = new ClientAddress(PROXIES, "X-Forwarded-For");
    /** Behind proxies that write Forwarded (RFC 7239). */
    private final ClientAddress behindForwarded = new ClientAddress(PROXIES, "forwarded");

    @Test
    void withoutTrustedProxiesTheClientIsThePeerWhateverTheHeadersSay() {
        ClientAddress trustingNone = new ClientAddress(Optional.empty(), "X-Forwarded-For");
        assertEquals("10.1.2.3", trustingNone.of("10.1.2.3", List.of("198.51.100.2")));
    }

    @Test
    void headersFromAnUntrustedPeerAreIgnored() {
        assertEquals("203.0.113.9", behindXForwardedFor.of("203.0.113.9", List.of("198.51.100.2")));
        assertEquals("192.168.1.8", behindXForwardedFor.of("192.168.1.8", List.of("198.51.100.2")));
    }

    @Test
    void xForwardedForIsReadFromTheRightSkippingTrustedHops() {
        // the leftmost entry is the client's own claim: only the hop our proxies appended counts
        assertEquals("198.51.100.2", behindXForwardedFor.of("10.0.0.1", List.of("1.1.1.1, 198.51.100.2", "10.9.9.9")));
        // every hop trusted: the leftmost
        assertEquals("10.0.0.3", behindXForwardedFor.of("10.0.0.1", List.of("10.0.0.3, 10.0.0.2")));
        // no header: the proxy itself
        assertEquals("10.0.0.1", behindXForwardedFor.of("10.0.0.1", List.of()));
    }

    /**
     * Issue 28: the old code read Forwarded before X-Forwarded-For, so behind a proxy that appends to
     * X-Forwarded-For and passes the client's own Forwarded through, the client chose its address. Now only the
     * configured header's values reach the walk (the integration test AbuseProtectionChecks sends both); within
     * it, what the client wrote left of our proxy's entry loses.
     */
    @Test
    void withinTheConfiguredHeaderTheClientsOwnEntriesLoseToOurProxys() {
        assertEquals("203.0.113.7", behindForwarded.of("10.0.0.1", List.of("for=198.51.100.1", "for=203.0.113.7")));
        assertEquals("203.0.113.7", behindXForwardedFor.of("10.0.0.1", List.of("198.51.100.1, 203.0.113.7")));
    }

    @Test
    void forwardedNodesLoseQuotesBracketsAndPorts() {
        assertEquals("2001:db8:0:0:0:0:0:7", behindForwarded.of("192.168.1.7",
                List.of("for=198.51.100.1;proto=https, for=\"[2001:db8::7]:4711\"")));
        assertEquals("198.51.100.1", behindForwarded.of("2001:db8:1::5", List.of("for=198.51.100.1:8080;by=10.0.0.1")));
    }

    @Test
    void aHopThatIsNoAddressEndsTheWalkAtTheProxyThatWroteIt() {
        assertEquals("10.0.0.2", behindForwarded.of("10.0.0.1", List.of("for=_hidden, for=10.0.0.2")));
        assertEquals("10.0.0.1", behindXForwardedFor.of("10.0.0.1", List.of("evil.example.com")));
    }

    @Test
    void aRangeThatIsNoAddressOrAnUnknownHeaderIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(Optional.of("proxy.internal"), "X-Forwarded-For"));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(Optional.of("10.0.0.0/33"), "X-Forwarded-For"));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(PROXIES, "X-Real-IP"));
    }
}
