package dev.gatehouse.oauth;

import dev.gatehouse.oauth.OAuthRecords.AuthorizeResponse;
import dev.gatehouse.oauth.OAuthRecords.ExternalIdentity;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.SignInResult;
import dev.gatehouse.users.AccountTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The authorization code flow with PKCE (RFC 7636, S256) and, for OpenID Connect, a nonce. Not one
 * transaction on purpose: the state is written (authorize) and consumed (callback) in short transactions of
 * their own, the calls to the provider run with no database connection held, and the account and session
 * are written in one last transaction only after every check has passed. Each flow is bound to the client
 * that started it: the callback must present the binding authorize gave (see {@link OAuthResource}).
 */
@ApplicationScoped
public class OAuthLogin {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /** Our states and bindings are 43 characters; anything much longer is not one of ours and costs no query. */
    private static final int MAX_STATE = 64;
    /** As POST /invitations/accept's token field. */
    private static final int MAX_INVITATION = 200;

    @Inject
    OAuthProviders providers;

    @Inject
    OAuthStates states;

    @Inject
    IdentityProviderClient client;

    @Inject
    OAuthAccounts accounts;

    /** {@code invitation}: the token of an invitation the sign-in accepts (see {@link OAuthAccounts#acceptInvitation}), or null. */
    public AuthorizeResponse authorize(String providerName, String redirectUri, String invitation) {
        OAuthProvider provider = providers.get(providerName);
        if (!providers.redirectAllowed(redirectUri)) {
            throw new ProblemException(ProblemType.INVALID_REDIRECT_URI, "The redirect URI is not on the allow-list.");
        }
        if (invitation != null && (invitation.isBlank() || invitation.length() > MAX_INVITATION)) {
            throw AccountTokens.invalidToken();
        }
        ProviderEndpoints endpoints = client.endpoints(provider);
        String state = RandomTokens.newToken();
        String codeVerifier = RandomTokens.newToken();
        String nonce = RandomTokens.newToken();
        // The secret of the client that starts the flow: only its SHA-256 is kept, so the table alone finishes no flow.
        String binding = RandomTokens.newToken();
        states.create(state, provider.name(), codeVerifier, nonce, redirectUri, RandomTokens.sha256(binding),
                invitation == null ? null : RandomTokens.sha256(invitation), providers.stateLifetime());

        return new AuthorizeResponse(authorizeUrl(provider, endpoints, redirectUri, state, codeVerifier, nonce), state, binding);
    }

    /** The provider's authorization URL for a flow with this state, PKCE verifier and (OpenID Connect) nonce. */
    public String authorizeUrl(OAuthProvider provider, ProviderEndpoints endpoints, String redirectUri, String state,
                               String codeVerifier, String nonce) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", provider.clientId());
        query.put("redirect_uri", redirectUri);
        if (!provider.scopes().isBlank()) {
            query.put("scope", provider.scopes());
        }
        query.put("state", state);
        query.put("code_challenge", s256(codeVerifier));
        query.put("code_challenge_method", "S256");
        if (provider.openIdConnect()) {
            query.put("nonce", nonce);
        }
        String separator = endpoints.authorizeUrl().contains("?") ? "&" : "?";
        return endpoints.authorizeUrl() + separator + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
    }

    /**
     * The provider sent the user back with a code (or an error) and our state; {@code binding} is what the
     * calling client holds from authorize. {@code redirectUri}, when the caller gives it, must be the one the
     * flow started with.
     */
    public SignInResult callback(String providerName, String code, String state, String binding, String error,
                                  String errorDescription, String redirectUri, ClientInfo clientInfo) {
        OAuthProvider provider = providers.get(providerName);
        if (error != null) {
            if (wellFormed(state) && wellFormed(binding)) {
                states.consume(state, RandomTokens.sha256(binding)); // the flow is over, but only its own client may end it
            }
            throw IdentityProviderClient.providerError(error, errorDescription);
        }
        if (!wellFormed(state)) {
            throw invalidState("The state is missing or not one of ours.");
        }
        if (!wellFormed(binding)) {
            throw invalidState("The binding is missing: send the one authorize gave, as the "
                    + OAuthResource.BINDING_HEADER + " header or the " + OAuthResource.BINDING_COOKIE + " cookie.");
        }
        // A wrong binding and an unknown state look the same: no row. Nothing is consumed (OAuthStates.consume).
        OAuthStates.Consumed flow = states.consume(state, RandomTokens.sha256(binding))
                .orElseThrow(() -> invalidState("Unknown state, or not started by this client: never issued, already used, "
                        + "expired and removed, or the binding is not this flow's."));
        if (!flow.provider().equals(provider.name())) {
            throw invalidState("The state belongs to a sign-in with another provider.");
        }
        if (!flow.live()) {
            throw invalidState("The sign-in took too long and expired; start again.");
        }
        if (!providers.redirectAllowed(flow.redirectUri()) || (redirectUri != null && !redirectUri.equals(flow.redirectUri()))) {
            throw new ProblemException(ProblemType.INVALID_REDIRECT_URI, "The redirect URI is not the one this sign-in started with, or no longer allowed.");
        }
        if (code == null || code.isBlank()) {
            throw new ProblemException(ProblemType.OAUTH_CODE_MISSING, "The authorization code is missing.");
        }
        ProviderEndpoints endpoints = client.endpoints(provider);
        JsonObject tokens = exchangeCode(provider, endpoints, code, flow.redirectUri(), flow.codeVerifier());
        ExternalIdentity identity = identityOf(provider, endpoints, tokens, flow.nonce());
        return flow.invitationHash() == null ? accounts.signIn(identity, clientInfo)
                : accounts.acceptInvitation(identity, flow.invitationHash(), clientInfo);
    }

    private ExternalIdentity identityOf(OAuthProvider provider, ProviderEndpoints endpoints, JsonObject tokens, String nonce) {
        String accessToken = tokens.get("access_token") instanceof JsonString s ? s.getString() : null;
        if (provider.openIdConnect()) {
            JsonObject source = openIdClaims(provider, endpoints, tokens, nonce);
            return new ExternalIdentity(provider.name(), source.getString("sub"), text(source, "email"),
                    flag(source, "email_verified"), text(source, "name"));
        }
        if (accessToken == null || endpoints.userinfoUrl() == null) {
            throw IdentityProviderClient.badGateway(provider, "token", accessToken == null ? "no access_token" : "no userinfo-url configured");
        }
        JsonObject info = client.userinfo(provider, endpoints.userinfoUrl(), accessToken);
        String subject = text(info, "sub") != null ? text(info, "sub") : text(info, "id");
        if (subject == null) {
            throw IdentityProviderClient.badGateway(provider, "userinfo", "no subject");
        }
        String email = text(info, "email");
        boolean verified = flag(info, "email_verified") || flag(info, "verified_email");
        String name = text(info, "name") != null ? text(info, "name") : text(info, "login");
        if (provider.emailsUrl() != null) {
            // GitHub: /user shows only a public email, unverified; the primary verified one is in /user/emails.
            JsonArray emails = client.emails(provider, provider.emailsUrl(), accessToken);
            email = null;
            verified = false;
            for (JsonValue value : emails) {
                if (value instanceof JsonObject entry && flag(entry, "primary")) {
                    email = text(entry, "email");
                    verified = flag(entry, "verified");
                }
            }
        }
        return new ExternalIdentity(provider.name(), subject, email, verified, name);
    }

    /**
     * An OpenID Connect provider's answer to the code: the claims of its ID token, checked (signature, issuer,
     * audience, expiry, nonce); when the ID token has no email, its userinfo's claims for the same subject.
     */
    public JsonObject openIdClaims(OAuthProvider provider, ProviderEndpoints endpoints, JsonObject tokens, String nonce) {
        if (!(tokens.get("id_token") instanceof JsonString idToken)) {
            throw IdentityProviderClient.badGateway(provider, "token", "no id_token");
        }
        JsonObject claims = IdTokens.verify(idToken.getString(), kid -> client.signingKey(provider, endpoints, kid),
                endpoints.issuer(), provider.clientId(), nonce, Instant.now());
        String accessToken = tokens.get("access_token") instanceof JsonString s ? s.getString() : null;
        // Some providers keep the email out of the ID token; userinfo has it (for the same subject only).
        if (text(claims, "email") == null && endpoints.userinfoUrl() != null && accessToken != null) {
            JsonObject info = client.userinfo(provider, endpoints.userinfoUrl(), accessToken);
            if (claims.getString("sub").equals(text(info, "sub"))) {
                return info;
            }
        }
        return claims;
    }

    /** The code exchanged at the provider's token endpoint; a refusal (GitHub's 200 with an error body too) is a problem. */
    public JsonObject exchangeCode(OAuthProvider provider, ProviderEndpoints endpoints, String code, String redirectUri,
                                   String codeVerifier) {
        JsonObject tokens = client.exchangeCode(provider, endpoints, code, redirectUri, codeVerifier);
        if (tokens.get("error") instanceof JsonString refused) {
            throw IdentityProviderClient.providerError(refused.getString(), tokens.getString("error_description", null));
        }
        return tokens;
    }

    /** A string claim; numbers (GitHub's numeric user id) as their decimal text. */
    private static String text(JsonObject json, String name) {
        JsonValue value = json.get(name);
        if (value instanceof JsonString s && !s.getString().isBlank()) {
            return s.getString();
        }
        if (value instanceof JsonNumber n) {
            return n.bigDecimalValue().toPlainString();
        }
        return null;
    }

    /** true only for JSON true or the string "true" (some providers send the claim as a string). */
    private static boolean flag(JsonObject json, String name) {
        JsonValue value = json.get(name);
        return value == JsonValue.TRUE || (value instanceof JsonString s && "true".equalsIgnoreCase(s.getString()));
    }

    private static boolean wellFormed(String token) {
        return token != null && !token.isBlank() && token.length() <= MAX_STATE;
    }

    static String s256(String codeVerifier) {
        try {
            return BASE64URL.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(codeVerifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ProblemException invalidState(String detail) {
        return new ProblemException(ProblemType.INVALID_OAUTH_STATE, detail);
    }
}
