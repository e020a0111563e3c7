package dev.gatehouse.sso;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.oauth.IdentityProviderClient;
import dev.gatehouse.oauth.OAuthLogin;
import dev.gatehouse.oauth.OAuthProvider;
import dev.gatehouse.oauth.ProviderEndpoints;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A sign-in through a tenant's connection, from the hosted page's redirect to the IdP to the identity its answer
 * proves. OpenID Connect: the code flow with PKCE and a nonce, the ID token checked as for the instance-wide
 * providers (oauth/). SAML 2.0: SP-initiated, an AuthnRequest by the HTTP-Redirect binding and the Response by the
 * HTTP-POST binding ({@link SamlServiceProvider}); IdP-initiated responses are refused. The flow's state is in the
 * database ({@link SsoSignIns}), bound to the browser that started it; the calls to the IdP hold no database
 * connection.
 */
@ApplicationScoped
public class SsoSignIn {

    /** RFC 8176 methods that are a second factor, or several. */
    private static final Set<String> SECOND_FACTOR_AMR = Set.of("mfa", "otp", "hwk", "sms", "swk");
    /** SAML authentication contexts that say a second factor was used: REFEDS MFA, Entra ID's, SAML 2.0's two-factor ones. */
    private static final Set<String> SECOND_FACTOR_CONTEXTS = Set.of("https://refeds.org/profile/mfa",
            "http://schemas.microsoft.com/claims/multipleauthn",
            "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
            "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken");
    /** The clocks of an IdP and of Gatehouse may differ this much on an assertion's times. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(2);
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
    SamlServiceProvider saml;

    @Inject
    SecurityEvents securityEvents;

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

    private Duration lifetime() {
        return Duration.ofMinutes(signInMinutes);
    }

    /**
     * The redirect to the IdP for the hosted page's authorization request {@code requestId}. SAML: an AuthnRequest
     * whose ID is the sign-in's state (an xs:ID, so it begins with '_'), sent again as the RelayState.
     */
    public Started start(SsoConnection connection, UUID requestId) {
        String binding = RandomTokens.newToken();
        if (!connection.oidc()) {
            String state = "_" + RandomTokens.newToken();
            signIns.create(state, connection.id(), requestId, RandomTokens.sha256(binding), null, null, lifetime());
            return new Started(saml.authnRequest(samlSettings(connection), state, state), binding);
        }
        String state = RandomTokens.newToken();
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
        JsonObject claims;
        try {
            if (error != null) {
                throw IdentityProviderClient.providerError(error, errorDescription);
            }
            if (code == null || code.isBlank()) {
                throw new ProblemException(ProblemType.OAUTH_CODE_MISSING, "The authorization code is missing.");
            }
            OAuthProvider provider = provider(connection);
            ProviderEndpoints endpoints = providers.endpoints(provider);
            JsonObject tokens = oauthLogin.exchangeCode(provider, endpoints, code,
                    SsoUrls.redirectUri(publicBaseUrl, connection), flow.codeVerifier());
            claims = oauthLogin.openIdClaims(provider, endpoints, tokens, flow.nonce());
        } catch (ProblemException e) { // the IdP refused, or its answer did not pass: a refusal on the tenant's record
            recordRefusal(connection, e.type().slug());
            throw e;
        }
        boolean secondFactor = strings(claims.get("amr")).stream().anyMatch(SECOND_FACTOR_AMR::contains);
        return new VerifiedIdentity(connection.id(), flow.requestId(), claims.getString("sub"),
                text(claims, connection.emailAttribute()), text(claims, connection.nameAttribute()),
                connection.groupsAttribute() == null ? List.of() : strings(claims.get(connection.groupsAttribute())),
                secondFactor);
    }

    /**
     * A SAML response, posted by the browser from the IdP (a cross-site post: no cookie comes with it). Checked
     * against the live sign-in its RelayState names ({@link SamlServiceProvider#validate}: signature, audience,
     * recipient, InResponseTo, times), its assertion id spent, and the identity kept with the sign-in until this
     * browser's binding fetches it ({@link #finishSaml}). The state to finish with.
     */
    public String acceptSaml(SsoConnection connection, String samlResponse, String relayState) {
        if (connection.oidc() || samlResponse == null || samlResponse.isBlank()) {
            throw invalidState("Not a SAML response to a sign-in of this connection.");
        }
        // IdP-initiated sign-in is off: a response must answer a sign-in of this connection that waits for one
        if (relayState == null || relayState.isBlank() || relayState.length() > MAX_STATE) {
            throw samlRefused(connection, "unsolicited response (no RelayState)");
        }
        if (signIns.pending(relayState, connection.id()).filter(flow -> flow.live() && flow.identity() == null).isEmpty()) {
            throw samlRefused(connection, "no sign-in waits for this response (unknown, answered already, or expired)");
        }
        SamlAssertion assertion;
        try {
            assertion = saml.validate(samlSettings(connection), samlResponse, relayState, Instant.now());
        } catch (SamlRejected e) {
            throw samlRefused(connection, e.reason());
        }
        if (!signIns.firstUseOfAssertion(connection.id(), assertion.assertionId(), assertion.notOnOrAfter())) {
            throw samlRefused(connection, "assertion replayed");
        }
        String subject = assertion.nameId();
        String email = ConnectionRules.NAME_ID.equals(connection.emailAttribute()) ? assertion.nameId()
                : first(assertion.attributes().get(connection.emailAttribute()));
        JsonObjectBuilder identity = Json.createObjectBuilder().add("subject", subject)
                .add("groups", Json.createArrayBuilder(connection.groupsAttribute() == null ? List.of()
                        : assertion.attributes().getOrDefault(connection.groupsAttribute(), List.of())))
                .add("mfa", assertion.authnContextClassRef() != null
                        && SECOND_FACTOR_CONTEXTS.contains(assertion.authnContextClassRef()));
        if (email != null) {
            identity.add("email", email);
        }
        String name = connection.nameAttribute() == null ? null : first(assertion.attributes().get(connection.nameAttribute()));
        if (name != null) {
            identity.add("name", name);
        }
        if (!signIns.attachIdentity(relayState, connection.id(), identity.build().toString())) {
            throw invalidState("The sign-in was answered already.");
        }
        return relayState;
    }

    /** The browser, redirected from the ACS, fetches the identity its sign-in was answered with. */
    public VerifiedIdentity finishSaml(SsoConnection connection, String state, String binding) {
        SsoSignIns.Flow flow = consume(connection, state, binding);
        if (flow.identity() == null) {
            throw invalidState("The identity provider has not answered this sign-in.");
        }
        JsonObject identity = Json.createReader(new StringReader(flow.identity())).readObject();
        return new VerifiedIdentity(connection.id(), flow.requestId(), identity.getString("subject"),
                identity.getString("email", null), identity.getString("name", null), strings(identity.get("groups")),
                identity.getBoolean("mfa"));
    }

    /** The SP's metadata of a SAML connection, for the IdP's administrator. */
    public String samlMetadata(SsoConnection connection) {
        if (connection.oidc()) {
            throw ProblemException.notFound("SAML connection");
        }
        return saml.metadata(samlSettings(connection));
    }

    private SamlSettings samlSettings(SsoConnection connection) {
        return new SamlSettings(SsoUrls.samlEntityId(publicBaseUrl, connection), SsoUrls.acsUrl(publicBaseUrl, connection),
                connection.samlIdpEntityId(), connection.samlIdpSsoUrl(), connection.samlIdpCertificates(), CLOCK_SKEW,
                connection.samlSpKey());
    }

    private ProblemException samlRefused(SsoConnection connection, String reason) {
        recordRefusal(connection, reason);
        return new ProblemException(ProblemType.SAML_RESPONSE_REFUSED, "The identity provider's answer was refused: "
                + reason + ".");
    }

    private void recordRefusal(SsoConnection connection, String reason) {
        securityEvents.record(SecurityEvent.of(SecurityEventType.SSO_SIGN_IN_REFUSED, connection.tenantId()).actor(null)
                .failed().detail("connection", connection.id().toString()).detail("reason", reason));
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() || values.getFirst().isBlank() ? null : values.getFirst();
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
