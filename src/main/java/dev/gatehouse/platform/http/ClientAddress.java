package dev.gatehouse.platform.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The address of the client of a request: the peer of the connection, unless the peer is one of
 * gatehouse.http.trusted-proxies (addresses or CIDR ranges; default none). From a trusted peer, the one header
 * our proxies append to, gatehouse.http.forwarded-header ({@code X-Forwarded-For}, the default, or
 * {@code Forwarded} of RFC 7239), is read from the right: each trusted address is a proxy of ours and is
 * skipped, and the first untrusted one is the client. Anything left of that was written by the client and is
 * not believed, and so is the other header, which a proxy that appends to one passes through untouched: read
 * both, and a client would choose its own address by sending the one the proxy does not write. A hop that is
 * not an IP literal (an obfuscated {@code for=_hidden}, say) ends the walk at the proxy that wrote it.
 */
@ApplicationScoped
public class ClientAddress {

    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED = "Forwarded";

    private final List<Cidr> trustedProxies;
    /** Whether the proxies write Forwarded (else X-Forwarded-For). */
    private final boolean forwardedHeader;

    @Inject
    public ClientAddress(@ConfigProperty(name = "gatehouse.http.trusted-proxies") Optional<String> trustedProxies,
                         @ConfigProperty(name = "gatehouse.http.forwarded-header") String forwardedHeader) {
        this.trustedProxies = Arrays.stream(trustedProxies.orElse("").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
        if (forwardedHeader.strip().equalsIgnoreCase(FORWARDED)) {
            this.forwardedHeader = true;
        } else if (forwardedHeader.strip().equalsIgnoreCase(X_FORWARDED_FOR)) {
            this.forwardedHeader = false;
        } else {
            throw new IllegalArgumentException("gatehouse.http.forwarded-header: X-Forwarded-For or Forwarded, not " + forwardedHeader);
        }
    }

    /** For CDI's proxy only. */
    protected ClientAddress() {
        this.trustedProxies = List.of();
        this.forwardedHeader = false;
    }

    public String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (trustedProxies.isEmpty()) { // the default: no header is read
            return peer;
        }
        return of(peer, headerValues(request, forwardedHeader ? FORWARDED : X_FORWARDED_FOR));
    }

    /** The client of a connection from {@code peer} with these values of the configured header. */
    String of(String peer, List<String> headerValues) {
        if (trustedProxies.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = forwardedHeader ? forwardedFor(headerValues) : split(headerValues);
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                return client;
            }
            client = hop.getHostAddress();
            if (!isTrusted(hop)) {
                return client;
            }
        }
        return client;
    }

    private boolean isTrusted(String address) {
        InetAddress parsed = literal(address);
        return parsed != null && isTrusted(parsed);
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The for= value of every Forwarded element, client first ("" for an element without one). */
    private static List<String> forwardedFor(List<String> forwarded) {
        List<String> hops = new ArrayList<>();
        for (String header : forwarded) {
            for (String element : header.split(",")) {
                String forValue = "";
                for (String pair : element.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
                        forValue = forwardedNode(pair.substring(eq + 1).strip());
                    }
                }
                hops.add(forValue);
            }
        }
        return hops;
    }

    private static List<String> split(List<String> xForwardedFor) {
        List<String> hops = new ArrayList<>();
        for (String header : xForwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        return hops;
    }

    /** A Forwarded node without quotes, brackets and port: {@code "[2001:db8::1]:4711"} is 2001:db8::1. */
    private static String forwardedNode(String value) {
        String node = value.startsWith("\"") && value.endsWith("\"") && value.length() > 1
                ? value.substring(1, value.length() - 1) : value;
        if (node.startsWith("[")) {
            int end = node.indexOf(']');
            return end > 0 ? node.substring(1, end) : node;
        }
        int colon = node.indexOf(':');
        return colon > 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
    }

    private static List<String> headerValues(HttpServletRequest request, String name) {
        Enumeration<String> values = request.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }

    /** The address of an IP literal; null for anything else (never a DNS lookup). */
    static InetAddress literal(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An address range: an address and how many leading bits of it count (all of them for a single address). */
    record Cidr(byte[] network, int prefixBits) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("gatehouse.http.trusted-proxies: not an IP address or CIDR range: " + text);
            }
            int bits = address.getAddress().length * 8;
            int prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("gatehouse.http.trusted-proxies: prefix out of range: " + text);
            }
            return new Cidr(address.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int fullBytes = prefixBits / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int restBits = prefixBits % 8;
            if (restBits == 0) {
                return true;
            }
            int mask = (0xFF << (8 - restBits)) & 0xFF;
            return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }
}
