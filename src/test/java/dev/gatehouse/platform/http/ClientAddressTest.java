package dev.gatehouse.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private final ClientAddress trustingProxies = new ClientAddress(Optional.of("10.0.0.0/8, 192.168.1.7, 2001:db8:1::/48"));

    @Test
    void withoutTrustedProxiesTheClientIsThePeerWhateverTheHeadersSay() {
        ClientAddress trustingNone = new ClientAddress(Optional.empty());
        assertEquals("10.1.2.3", trustingNone.of("10.1.2.3", List.of("for=198.51.100.1"), List.of("198.51.100.2")));
    }

    @Test
    void headersFromAnUntrustedPeerAreIgnored() {
        assertEquals("203.0.113.9", trustingProxies.of("203.0.113.9", List.of(), List.of("198.51.100.2")));
        assertEquals("192.168.1.8", trustingProxies.of("192.168.1.8", List.of(), List.of("198.51.100.2")));
    }

    @Test
    void xForwardedForIsReadFromTheRightSkippingTrustedHops() {
        // the leftmost entry is the client's own claim: only the hop our proxies appended counts
        assertEquals("198.51.100.2", trustingProxies.of("10.0.0.1", List.of(),
                List.of("1.1.1.1, 198.51.100.2", "10.9.9.9")));
        // every hop trusted: the leftmost
        assertEquals("10.0.0.3", trustingProxies.of("10.0.0.1", List.of(), List.of("10.0.0.3, 10.0.0.2")));
        // no header: the proxy itself
        assertEquals("10.0.0.1", trustingProxies.of("10.0.0.1", List.of(), List.of()));
    }

    @Test
    void forwardedWinsAndItsNodesLoseQuotesBracketsAndPorts() {
        assertEquals("2001:db8:0:0:0:0:0:7", trustingProxies.of("192.168.1.7",
                List.of("for=198.51.100.1;proto=https, for=\"[2001:db8::7]:4711\""), List.of("198.51.100.99")));
        assertEquals("198.51.100.1", trustingProxies.of("2001:db8:1::5",
                List.of("for=198.51.100.1:8080;by=10.0.0.1"), List.of()));
    }

    @Test
    void aHopThatIsNoAddressEndsTheWalkAtTheProxyThatWroteIt() {
        assertEquals("10.0.0.2", trustingProxies.of("10.0.0.1", List.of("for=_hidden, for=10.0.0.2"), List.of()));
        assertEquals("10.0.0.1", trustingProxies.of("10.0.0.1", List.of(), List.of("evil.example.com")));
    }

    @Test
    void aRangeThatIsNoAddressIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(Optional.of("proxy.internal")));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(Optional.of("10.0.0.0/33")));
    }
}
