package dev.gatehouse.oauth;

import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The HTTP calls to identity providers, with the JAX-RS client (one per provider, with its connect and read
 * timeouts). Failures become problems: the provider's own OAuth error 400 with its code, unreachable or
 * broken 502, too slow 504. Never called inside a transaction, so no database connection waits on a provider.
 * Codes, tokens and the client secret are never logged.
 */
@ApplicationScoped
public class IdentityProviderClient {

    private static final Logger LOG = Logger.getLogger(IdentityProviderClient.class.getName());
    /** An OAuth error code is passed on to the client only when it looks like one (RFC 6749 §5.2). */
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Duration JWKS_REFRESH_PAUSE = Duration.ofMinutes(1);

    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    /** Discovery documents by issuer, fetched on first use and kept for the life of the process. */
    private final Map<String, ProviderEndpoints> discovered = new ConcurrentHashMap<>();
    private final Map<String, SigningKeySet> signingKeys = new ConcurrentHashMap<>();

    private record SigningKeySet(Map<String, RSAPublicKey> byKid, Instant fetchedAt) {
    }

    @PreDestroy
    void close() {
        clients.values().forEach(Client::close);
    }

    public ProviderEndpoints endpoints(OAuthProvider provider) {
        if (!provider.openIdConnect()) {
            return new ProviderEndpoints(null, provider.authorizeUrl(), provider.tokenUrl(), provider.userinfoUrl(), null);
        }
        ProviderEndpoints known = discovered.get(provider.issuer());
        if (known != null) {
            return known;
        }
        // Two first callers may both fetch; either result is the same document.
        JsonObject document = object(call(provider, "discovery",
                client(provider).target(provider.issuer() + "/.well-known/openid-configuration")
                        .request(MediaType.APPLICATION_JSON_TYPE).buildGet()), provider, "discovery");
        ProviderEndpoints endpoints = new ProviderEndpoints(
                required(document, "issuer", provider),
                or(provider.authorizeUrl(), required(document, "authorization_endpoint", provider)),
                or(provider.tokenUrl(), required(document, "token_endpoint", provider)),
                or(provider.userinfoUrl(), document.getString("userinfo_endpoint", null)),
                required(document, "jwks_uri", provider));
        discovered.put(provider.issuer(), endpoints);
        return endpoints;
    }

    /** The authorization code grant with the PKCE verifier; the client authenticates with client_secret_post. */
    public JsonObject exchangeCode(OAuthProvider provider, ProviderEndpoints endpoints, String code, String redirectUri,
                                   String codeVerifier) {
        Form form = new Form()
                .param("grant_type", "authorization_code")
                .param("code", code)
                .param("redirect_uri", redirectUri)
                .param("client_id", provider.clientId())
                .param("code_verifier", codeVerifier);
        if (provider.clientSecret() != null) {
            form.param("client_secret", provider.clientSecret());
        }
        Invocation.Builder request = client(provider).target(endpoints.tokenUrl()).request(MediaType.APPLICATION_JSON_TYPE);
        return object(call(provider, "token", request.buildPost(Entity.form(form))), provider, "token");
    }

    public JsonObject userinfo(OAuthProvider provider, String url, String accessToken) {
        return object(call(provider, "userinfo", bearer(provider, url, accessToken).buildGet()), provider, "userinfo");
    }

    /** GitHub's list of the user's emails, each with primary and verified flags. */
    public JsonArray emails(OAuthProvider provider, String url, String accessToken) {
        JsonStructure json = call(provider, "emails", bearer(provider, url, accessToken).buildGet());
        if (!(json instanceof JsonArray array)) {
            throw badGateway(provider, "emails", "not a JSON array");
        }
        return array;
    }

    /** The provider's RSA key with this id, from its JWKS; fetched again (at most once a minute) for a new kid. */
    public RSAPublicKey signingKey(OAuthProvider provider, ProviderEndpoints endpoints, String kid) {
        SigningKeySet keys = signingKeys.get(endpoints.jwksUrl());
        if (keys == null || (!keys.byKid().containsKey(kid)
                && keys.fetchedAt().plus(JWKS_REFRESH_PAUSE).isBefore(Instant.now()))) {
            keys = fetchKeys(provider, endpoints);
            signingKeys.put(endpoints.jwksUrl(), keys);
        }
        return keys.byKid().get(kid);
    }

    private SigningKeySet fetchKeys(OAuthProvider provider, ProviderEndpoints endpoints) {
        JsonObject jwks = object(call(provider, "jwks",
                client(provider).target(endpoints.jwksUrl()).request(MediaType.APPLICATION_JSON_TYPE).buildGet()),
                provider, "jwks");
        Map<String, RSAPublicKey> byKid = new HashMap<>();
        JsonArray keyList = jwks.get("keys") instanceof JsonArray array ? array : JsonValue.EMPTY_JSON_ARRAY;
        for (JsonValue value : keyList) {
            if (value instanceof JsonObject key && "RSA".equals(key.getString("kty", null))
                    && !"enc".equals(key.getString("use", null))) {
                try {
                    RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
                            new RSAPublicKeySpec(unsigned(key.getString("n")), unsigned(key.getString("e"))));
                    byKid.put(key.getString("kid", ""), publicKey);
                } catch (GeneralSecurityException | RuntimeException e) {
                    LOG.warning("OAuth provider " + provider.name() + ": unusable JWKS key " + key.getString("kid", "") + ": " + e);
                }
            }
        }
        return new SigningKeySet(Map.copyOf(byKid), Instant.now());
    }

    private Invocation.Builder bearer(OAuthProvider provider, String url, String accessToken) {
        return client(provider).target(url).request(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken);
    }

    private JsonStructure call(OAuthProvider provider, String what, Invocation invocation) {
        String body;
        int status;
        try (Response response = invocation.invoke()) {
            status = response.getStatus();
            body = response.readEntity(String.class);
        } catch (ProcessingException e) {
            if (isTimeout(e)) {
                LOG.warning("OAuth provider " + provider.name() + " (" + what + ") timed out: " + e.getMessage());
                throw new ProblemException(ProblemType.OAUTH_PROVIDER_TIMEOUT,
                        "The identity provider did not answer in time.");
            }
            LOG.warning("OAuth provider " + provider.name() + " (" + what + ") unreachable: " + e.getMessage());
            throw new ProblemException(ProblemType.OAUTH_PROVIDER_UNREACHABLE,
                    "The identity provider could not be reached.");
        }
        JsonStructure json = parse(body);
        if (status >= 200 && status < 300 && json != null) {
            return json;
        }
        // RFC 6749 §5.2: the provider refused the request (invalid_grant, say): the client's flow failed, 400.
        if (status >= 400 && status < 500 && json instanceof JsonObject error
                && error.get("error") instanceof jakarta.json.JsonString code && ERROR_CODE.matcher(code.getString()).matches()) {
            throw providerError(code.getString(), error.getString("error_description", null));
        }
        throw badGateway(provider, what, "HTTP " + status);
    }

    /** A provider's OAuth error, from its redirect or its token endpoint: 400 with the provider's code. */
    public static ProblemException providerError(String code, String description) {
        String safeCode = code != null && ERROR_CODE.matcher(code).matches() ? code : "invalid_request";
        String detail = "The identity provider answered " + safeCode
                + (description == null || description.isBlank() ? "." : ": " + abbreviate(description, 200));
        return new ProblemException(ProblemType.OAUTH_PROVIDER_ERROR, detail);
    }

    static ProblemException badGateway(OAuthProvider provider, String what, String why) {
        LOG.warning("OAuth provider " + provider.name() + " (" + what + ") gave an unusable answer: " + why);
        return new ProblemException(ProblemType.OAUTH_PROVIDER_FAILED,
                "The identity provider gave an unusable answer.");
    }

    private JsonObject object(JsonStructure json, OAuthProvider provider, String what) {
        if (!(json instanceof JsonObject object)) {
            throw badGateway(provider, what, "not a JSON object");
        }
        return object;
    }

    private Client client(OAuthProvider provider) {
        return clients.computeIfAbsent(provider.name(), name -> ClientBuilder.newBuilder()
                .connectTimeout(provider.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(provider.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build());
    }

    private static String required(JsonObject document, String name, OAuthProvider provider) {
        String value = document.getString(name, null);
        if (value == null || value.isBlank()) {
            throw badGateway(provider, "discovery", "no " + name);
        }
        return value;
    }

    private static String or(String configured, String discovered) {
        return configured != null ? configured : discovered;
    }

    private static JsonStructure parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.read();
        } catch (JsonException e) {
            return null;
        }
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException || t instanceof HttpTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static BigInteger unsigned(String base64Url) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(base64Url));
    }

    private static String abbreviate(String text, int max) {
        String oneLine = text.replaceAll("[\\r\\n\\t]", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "…";
    }
}
