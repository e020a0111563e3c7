package dev.gatehouse.sso;

import dev.gatehouse.oauth.IdentityProviderClient;
import dev.gatehouse.oauth.OAuthLogin;
import dev.gatehouse.oauth.OAuthProvider;
import dev.gatehouse.oauth.ProviderEndpoints;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A sign-in through a tenant's connection, from the hosted page's redirect to the IdP to the identity its answer
 * proves. OpenID Connect: the code flow with PKCE and a nonce, the ID token checked as for the instance-wide
 * providers (oauth/). The flow's state is in the database ({@link SsoSignIns}), bound to the browser that started
 * it; the calls to the IdP hold no database connection.
 */
@ApplicationScoped
public class SsoSignIn {

    /** RFC 8176 methods that are a second factor, or several. */
    private static final Set<String> SECOND_FACTOR_AMR = Set.of("mfa", "otp", "hwk", "sms", "swk");
    private static final int MAX_STATE = 64;

    @Inject
    SsoConnections connections;

    @Inject
    SsoSignIns signIns;

    @Inject
    OAuthLogin oauthLogin;

    @Inject
    IdentityProviderClient providers;

    @Inject
    @ConfigProperty(name = "gatehouse.public-base-url")
    String publicBaseUrl;

    @Inject
    @ConfigProperty(name = "gatehouse.sso.sign-in-minutes")
    int signInMinutes;

    /** Where the browser goes, and the binding it keeps (a cookie) to finish. */
    public record Started(URI redirect, String binding) {
    }

    /** An enabled connection, or 404 (its tenant being inactive refuses the sign-in later, as any). */
    public SsoConnection connection(String connectionId) {
        return connections.find(connectionId).map(SsoConnections.Stored::connection).filter(SsoConnection::enabled)
                .orElseThrow(() -> ProblemException.notFound("Connection"));
    }

    public Duration lifetime() {
        return Duration.ofMinutes(signInMinutes);
    }

    /** The redirect to the IdP for the hosted page's authorization request {@code requestId}. */
    public Started start(SsoConnection connection, UUID requestId) {
        String state = RandomTokens.newToken();
        String binding = RandomTokens.newToken();
        if (!connection.oidc()) {
            throw new IllegalStateException("SAML sign-in starts in startSaml");
        }
        OAuthProvider provider = provider(connection);
        ProviderEndpoints endpoints = providers.endpoints(provider);
        String nonce = RandomTokens.newToken();
        String verifier = RandomTokens.newToken();
        signIns.create(state, connection.id(), requestId, RandomTokens.sha256(binding), nonce, verifier, lifetime());
        return new Started(URI.create(oauthLogin.authorizeUrl(provider, endpoints, SsoUrls.redirectUri(publicBaseUrl, connection),
                state, verifier, nonce)), binding);
    }

    /** The IdP's redirect back (OIDC): the flow consumed with this browser's binding, the code exchanged and checked. */
    public VerifiedIdentity finishOidc(SsoConnection connection, String state, String binding, String code, String error,
                                       String errorDescription) {
        SsoSignIns.Flow flow = consume(connection, state, binding);
        if (error != null) {
            throw IdentityProviderClient.providerError(error, errorDescription);
        }
        if (code == null || code.isBlank()) {
            throw new ProblemException(ProblemType.OAUTH_CODE_MISSING, "The authorization code is missing.");
        }
        OAuthProvider provider = provider(connection);
        ProviderEndpoints endpoints = providers.endpoints(provider);
        JsonObject tokens = oauthLogin.exchangeCode(provider, endpoints, code, SsoUrls.redirectUri(publicBaseUrl, connection),
                flow.codeVerifier());
        JsonObject claims = oauthLogin.openIdClaims(provider, endpoints, tokens, flow.nonce());
        boolean secondFactor = strings(claims.get("amr")).stream().anyMatch(SECOND_FACTOR_AMR::contains);
        return new VerifiedIdentity(connection.id(), flow.requestId(), claims.getString("sub"),
                text(claims, connection.emailAttribute()), text(claims, connection.nameAttribute()),
                connection.groupsAttribute() == null ? List.of() : strings(claims.get(connection.groupsAttribute())),
                secondFactor);
    }

    SsoSignIns.Flow consume(SsoConnection connection, String state, String binding) {
        if (state == null || state.isBlank() || state.length() > MAX_STATE || binding == null || binding.length() > MAX_STATE) {
            throw invalidState("The sign-in's state or this browser's cookie is missing: start again.");
        }
        SsoSignIns.Flow flow = signIns.consume(state, RandomTokens.sha256(binding))
                .orElseThrow(() -> invalidState("Unknown sign-in, already finished, or started in another browser."));
        if (!flow.connectionId().equals(connection.id())) {
            throw invalidState("The sign-in belongs to another connection.");
        }
        if (!flow.live()) {
            throw invalidState("The sign-in took too long and expired; start again.");
        }
        return flow;
    }

    /** The connection as oauth/ calls an OpenID Connect provider; named by id, so its caches are the connection's. */
    private static OAuthProvider provider(SsoConnection connection) {
        return new OAuthProvider("sso-" + connection.id(), connection.oidcClientId(), connection.oidcClientSecret(),
                connection.oidcIssuer(), null, null, null, null, connection.oidcScopes(), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
    }

    private static String text(JsonObject claims, String name) {
        return name != null && claims.get(name) instanceof JsonString s && !s.getString().isBlank() ? s.getString() : null;
    }

    /** A claim that is a string or an array of strings, as a list. */
    private static List<String> strings(JsonValue value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof JsonString s) {
            strings.add(s.getString());
        } else if (value instanceof JsonArray array) {
            array.forEach(item -> {
                if (item instanceof JsonString s) {
                    strings.add(s.getString());
                }
            });
        }
        return strings;
    }

    static ProblemException invalidState(String detail) {
        return new ProblemException(ProblemType.INVALID_OAUTH_STATE, detail);
    }
}
