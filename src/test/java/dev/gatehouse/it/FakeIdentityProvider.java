package dev.gatehouse.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.testing.TestJwts;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An OAuth 2 / OpenID Connect provider for the integration tests, in the test JVM on the port Maven reserved
 * (it.idp.port), configured for the server through failsafe's environment (pom.xml). Not a resource inside
 * the server: the server's calls to userinfo carry a bearer token, which the server's own MicroProfile JWT
 * mechanism would refuse before any resource saw it; and in the test JVM it serves both server instances.
 * <p>
 * Endpoints under /fake-idp: discovery, authorize (the "user" consents at once: the identity comes from the
 * test's extra parameters test_sub, test_email, test_email_verified, test_name), token (checks client, code,
 * redirect URI and the PKCE verifier against the challenge), userinfo, jwks, and slow-token (answers only once the test lets it: {@link #holdSlowToken()}).
 * ID tokens are signed RS256 with its own key.
 */
public class FakeIdentityProvider implements BeforeAllCallback {

    static final int PORT = Integer.getInteger("it.idp.port");
    static final String BASE = "http://localhost:" + PORT + "/fake-idp";
    static final String CLIENT_ID = "gatehouse-it";
    static final String CLIENT_SECRET = "it-secret";
    private static final String KEY_ID = "fake-idp-key";

    private static final KeyPair KEYS = TestJwts.newRsaKeyPair();
    /** Issued codes and access tokens, each with the consent it stands for. */
    private static final Map<String, Consent> CODES = new ConcurrentHashMap<>();
    private static final Map<String, Consent> ACCESS_TOKENS = new ConcurrentHashMap<>();

    private record Consent(String clientId, String redirectUri, String codeChallenge, String nonce, String subject,
                           String email, boolean emailVerified, String name) {
    }

    /** Who signs in when the authorize request names nobody (a browser sent by Gatehouse, not by a test). */
    private static volatile Consent browserIdentity;

    /** The next browser flows sign in as this person (subject, verified email, name). */
    static void signBrowsersInAs(String subject, String email, String name) {
        browserIdentity = new Consent(null, null, null, null, subject, email, true, name);
    }

    private static volatile java.util.concurrent.CountDownLatch slowTokenRelease = new java.util.concurrent.CountDownLatch(0);

    /** Until closed, slow-token answers nobody: a response the server gets meanwhile is its own timeout. */
    static AutoCloseable holdSlowToken() {
        java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        slowTokenRelease = latch;
        return latch::countDown;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(FakeIdentityProvider.class, key -> {
            HttpServer server = start();
            return (AutoCloseable) () -> server.stop(0);
        });
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", PORT), 50);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/fake-idp/", FakeIdentityProvider::handle);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/fake-idp".length());
            switch (path) {
                case "/.well-known/openid-configuration" -> json(exchange, 200, Json.createObjectBuilder()
                        .add("issuer", BASE)
                        .add("authorization_endpoint", BASE + "/authorize")
                        .add("token_endpoint", BASE + "/token")
                        .add("userinfo_endpoint", BASE + "/userinfo")
                        .add("jwks_uri", BASE + "/jwks")
                        .add("id_token_signing_alg_values_supported", Json.createArrayBuilder().add("RS256"))
                        .build());
                case "/authorize" -> authorize(exchange);
                case "/token" -> token(exchange);
                case "/slow-token" -> {
                    try {
                        slowTokenRelease.await(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    json(exchange, 200, Json.createObjectBuilder().add("access_token", "late").build());
                }
                case "/userinfo" -> userinfo(exchange);
                case "/jwks" -> json(exchange, 200, jwks());
                default -> json(exchange, 404, Json.createObjectBuilder().add("error", "not_found").build());
            }
        }
    }

    private static void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = decode(exchange.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(query.get("client_id")) || !"S256".equals(query.get("code_challenge_method"))) {
            json(exchange, 400, error("invalid_request", "client_id or code_challenge_method"));
            return;
        }
        String code = UUID.randomUUID().toString();
        Consent browser = browserIdentity;
        CODES.put(code, query.get("test_sub") == null && browser != null
                ? new Consent(query.get("client_id"), query.get("redirect_uri"), query.get("code_challenge"), query.get("nonce"),
                        browser.subject(), browser.email(), browser.emailVerified(), browser.name())
                : new Consent(query.get("client_id"), query.get("redirect_uri"), query.get("code_challenge"),
                        query.get("nonce"), query.get("test_sub"), query.get("test_email"),
                        Boolean.parseBoolean(query.get("test_email_verified")), query.get("test_name")));
        String location = query.get("redirect_uri") + "?code=" + encode(code) + "&state=" + encode(query.get("state"));
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(303, -1);
    }

    private static void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Consent consent = form.get("code") == null ? null : CODES.remove(form.get("code"));
        if (!"authorization_code".equals(form.get("grant_type"))) {
            json(exchange, 400, error("unsupported_grant_type", null));
        } else if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            json(exchange, 401, error("invalid_client", null));
        } else if (consent == null) {
            json(exchange, 400, error("invalid_grant", "unknown or used code"));
        } else if (!consent.redirectUri().equals(form.get("redirect_uri"))) {
            json(exchange, 400, error("invalid_grant", "redirect_uri differs"));
        } else if (form.get("code_verifier") == null || !s256(form.get("code_verifier")).equals(consent.codeChallenge())) {
            json(exchange, 400, error("invalid_grant", "PKCE verification failed"));
        } else {
            String accessToken = UUID.randomUUID().toString();
            ACCESS_TOKENS.put(accessToken, consent);
            json(exchange, 200, Json.createObjectBuilder()
                    .add("access_token", accessToken)
                    .add("token_type", "Bearer")
                    .add("expires_in", 300)
                    .add("id_token", idToken(consent))
                    .build());
        }
    }

    private static void userinfo(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Consent consent = authorization == null || !authorization.startsWith("Bearer ")
                ? null : ACCESS_TOKENS.get(authorization.substring("Bearer ".length()));
        if (consent == null) {
            json(exchange, 401, error("invalid_token", null));
            return;
        }
        json(exchange, 200, claims(consent).build());
    }

    private static JsonObjectBuilder claims(Consent consent) {
        JsonObjectBuilder claims = Json.createObjectBuilder().add("sub", consent.subject());
        if (consent.email() != null) {
            claims.add("email", consent.email()).add("email_verified", consent.emailVerified());
        }
        if (consent.name() != null) {
            claims.add("name", consent.name());
        }
        return claims;
    }

    private static String idToken(Consent consent) {
        long now = System.currentTimeMillis() / 1000;
        JsonObjectBuilder claims = claims(consent).add("iss", BASE).add("aud", consent.clientId())
                .add("iat", now).add("exp", now + 300);
        if (consent.nonce() != null) {
            claims.add("nonce", consent.nonce());
        }
        JsonObject header = Json.createObjectBuilder().add("alg", "RS256").add("typ", "JWT").add("kid", KEY_ID).build();
        return TestJwts.rs256(header, claims.build(), KEYS.getPrivate());
    }

    private static JsonObject jwks() {
        RSAPublicKey key = (RSAPublicKey) KEYS.getPublic();
        return Json.createObjectBuilder().add("keys", Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("kty", "RSA").add("use", "sig").add("alg", "RS256").add("kid", KEY_ID)
                .add("n", unsigned(key.getModulus())).add("e", unsigned(key.getPublicExponent())))).build();
    }

    static String s256(String verifier) {
        try {
            return TestJwts.base64Url(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject error(String code, String description) {
        JsonObjectBuilder error = Json.createObjectBuilder().add("error", code);
        if (description != null) {
            error.add("error_description", description);
        }
        return error.build();
    }

    private static void json(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static Map<String, String> decode(String query) {
        Map<String, String> values = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    static Map<String, String> queryOf(String url) {
        return decode(URI.create(url).getRawQuery());
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        return TestJwts.base64Url(java.util.Arrays.copyOfRange(bytes, start, bytes.length));
    }
}
