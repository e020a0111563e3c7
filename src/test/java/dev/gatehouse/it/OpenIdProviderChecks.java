package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.TestServer.statements;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Gatehouse as an OpenID Provider, driven by a relying party not written here (Nimbus OAuth 2.0 SDK with OpenID
 * Connect extensions): discovery, the code flow with PKCE through the hosted sign-in page, the ID token checked
 * by the library's validator against the JWKS, userinfo, refresh, single sign-on, and the refusals: a replayed
 * code, a wrong verifier, a redirect URI not registered, prompt=none without a session, a refresh token of
 * another client. The browser is a plain HTTP client with a cookie jar here; SignInPageChecks drives Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OpenIdProviderChecks {

    static final String CALLBACK = "http://localhost:9/callback";
    private static final Pattern REQUEST_FIELD = Pattern.compile("name=\"request\" value=\"([0-9a-f-]{36})\"");

    private Api.Account admin;
    private String publicClient;
    private String confidentialClient;
    private String confidentialSecret;
    private OIDCProviderMetadata provider;

    @BeforeAll
    void registerClients() throws Exception {
        admin = Api.deploymentAdmin();
        publicClient = registerClient(admin, "public", List.of(CALLBACK)).getString("client.client_id");
        var confidential = registerClient(admin, "confidential", List.of(CALLBACK));
        confidentialClient = confidential.getString("client.client_id");
        confidentialSecret = confidential.getString("client_secret");
        provider = OIDCProviderMetadata.resolve(new Issuer(TestServer.baseUrl()));
    }

    static io.restassured.path.json.JsonPath registerClient(Api.Account admin, String kind, List<String> redirectUris) {
        return admin.as().contentType(ContentType.JSON)
                .body(Map.of("name", "App " + kind, "kind", kind, "redirect_uris", redirectUris,
                        "grant_types", List.of("authorization_code", "refresh_token")))
                .post("/api/v1/admin/oauth-clients").then().statusCode(201).extract().jsonPath();
    }

    @Test
    void discoveryNamesTheEndpointsAndPkceS256() {
        assertEquals(TestServer.baseUrl(), provider.getIssuer().getValue());
        assertEquals(URI.create(TestServer.baseUrl() + "/api/v1/oauth/authorize"), provider.getAuthorizationEndpointURI());
        assertEquals(URI.create(TestServer.baseUrl() + "/api/v1/oauth/token"), provider.getTokenEndpointURI());
        assertEquals(List.of(CodeChallengeMethod.S256), provider.getCodeChallengeMethods());
        assertEquals(URI.create(TestServer.baseUrl() + "/.well-known/jwks.json"), provider.getJWKSetURI());
    }

    @Test
    void theCodeFlowSignsInThroughTheHostedPageAndTheLibraryValidatesTheIdToken() throws Exception {
        Api.Account person = Api.register("Provider Person");
        Browser browser = new Browser();
        Flow flow = new Flow(publicClient, "openid email profile");
        HttpResponse<String> page = browser.get(flow.uri(null));
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'") && !csp.contains("script-src"), csp);
        HttpResponse<String> signedIn = browser.post("/api/v1/oauth/sign-in",
                Map.of("request", requestId(page), "email", person.email(), "password", PASSWORD));
        AuthenticationSuccessResponse success = flow.success(signedIn);

        OIDCTokenResponse tokens = flow.redeem(success.getAuthorizationCode(), null);
        IDTokenClaimsSet id = new IDTokenValidator(provider.getIssuer(), new ClientID(publicClient), JWSAlgorithm.RS256,
                provider.getJWKSetURI().toURL()).validate(tokens.getOIDCTokens().getIDToken(), flow.nonce);
        assertEquals(person.userId(), id.getSubject().getValue());
        assertEquals(person.email(), id.getStringClaim("email"));
        assertEquals(person.tenantId(), id.getStringClaim("tenant_id"));
        assertEquals(List.of("pwd"), id.getStringListClaim("amr"));
        assertEquals("pwd", id.getACR().getValue());
        assertNotNull(id.getStringClaim("sid"));

        BearerAccessToken accessToken = tokens.getOIDCTokens().getBearerAccessToken();
        given().header("Authorization", accessToken.toAuthorizationHeader()).get("/api/v1/users/me").then().statusCode(200);
        UserInfoResponse userInfo = UserInfoResponse.parse(new UserInfoRequest(provider.getUserInfoEndpointURI(), accessToken)
                .toHTTPRequest().send());
        assertEquals(person.email(), ((UserInfoSuccessResponse) userInfo).getUserInfo().getEmailAddress());

        TokenResponse refreshed = TokenResponse.parse(new TokenRequest(provider.getTokenEndpointURI(), new ClientID(publicClient),
                new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())).toHTTPRequest().send());
        assertTrue(refreshed.indicatesSuccess(), () -> refreshed.toErrorResponse().getErrorObject().toString());
    }

    @Test
    void aSignedInBrowserGetsItsNextCodeWithoutThePageUnlessPromptLogin() throws Exception {
        Api.Account person = Api.register("Provider SSO");
        Browser browser = signedInBrowser(person, publicClient);
        Flow second = new Flow(confidentialClient, "openid");
        HttpResponse<String> silent = browser.get(second.uri(Prompt.Type.NONE));
        OIDCTokenResponse tokens = second.redeem(second.success(silent).getAuthorizationCode(),
                new ClientSecretBasic(new ClientID(confidentialClient), new Secret(confidentialSecret)));
        assertNotNull(tokens.getOIDCTokens().getIDToken());

        HttpResponse<String> again = browser.get(new Flow(publicClient, "openid").uri(Prompt.Type.LOGIN));
        assertEquals(200, again.statusCode(), "prompt=login shows the page to a signed-in browser");
        assertTrue(again.body().contains("name=\"password\""));
    }

    @Test
    void promptNoneWithoutASessionIsLoginRequiredAtTheRedirectUri() throws Exception {
        Flow flow = new Flow(publicClient, "openid");
        HttpResponse<String> answer = new Browser().get(flow.uri(Prompt.Type.NONE));
        AuthenticationErrorResponse error = assertInstanceOf(AuthenticationErrorResponse.class, flow.response(answer));
        assertEquals("login_required", error.getErrorObject().getCode());
        assertEquals(flow.state, error.getState());
    }

    @Test
    void aReplayedCodeIsRefusedAndEndsTheSessionItsFirstUseStarted() throws Exception {
        Api.Account person = Api.register("Provider Replay");
        Browser browser = signedInBrowser(person, publicClient);
        Flow flow = new Flow(publicClient, "openid");
        AuthorizationCode code = flow.success(browser.get(flow.uri(null))).getAuthorizationCode();
        OIDCTokenResponse first = flow.redeem(code, null);
        ErrorObject replay = flow.refused(code, null);
        assertEquals("invalid_grant", replay.getCode());
        given().header("Authorization", first.getOIDCTokens().getBearerAccessToken().toAuthorizationHeader())
                .get("/api/v1/users/me").then().statusCode(401);
        assertEquals(1, TestDatabase.queryLong("""
                select count(*) from security_events where type = 'authorization.code_replayed' and subject_user_id = ?::uuid""",
                person.userId()));
    }

    @Test
    void aWrongVerifierOrAnotherClientsCodeIsInvalidGrant() throws Exception {
        Api.Account person = Api.register("Provider PKCE");
        Browser browser = signedInBrowser(person, publicClient);
        Flow flow = new Flow(publicClient, "openid");
        AuthorizationCode code = flow.success(browser.get(flow.uri(null))).getAuthorizationCode();
        Flow wrongVerifier = new Flow(publicClient, "openid");
        assertEquals("invalid_grant", wrongVerifier.refused(code, null).getCode());
        assertEquals("invalid_grant", flow.refused(code, null).getCode(), "a code is spent by a failed redemption too");
    }

    @Test
    void anUnknownClientOrAnUnregisteredRedirectUriIsAProblemNeverARedirect() throws Exception {
        Flow flow = new Flow(publicClient, "openid");
        String elsewhere = flow.uri(null).toString().replace(URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8),
                URLEncoder.encode("https://attacker.example/cb", StandardCharsets.UTF_8));
        for (String uri : List.of(elsewhere, flow.uri(null).toString().replace(publicClient, "00000000-0000-0000-0000-000000000000"))) {
            HttpResponse<String> answer = new Browser().get(URI.create(uri));
            assertEquals(400, answer.statusCode(), uri);
            assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(answer.body().contains("invalid-authorization-request"), answer.body());
            assertTrue(answer.headers().firstValue("Location").isEmpty());
        }
        HttpResponse<String> noPkce = new Browser().get(URI.create(flow.uri(null).toString().replaceAll("&code_challenge[^&]*", "")));
        AuthenticationErrorResponse error = assertInstanceOf(AuthenticationErrorResponse.class, flow.response(noPkce));
        assertEquals("invalid_request", error.getErrorObject().getCode());
    }

    @Test
    void aRefreshTokenIsItsClientsOnly() throws Exception {
        Api.Account person = Api.register("Provider Binding");
        Browser browser = signedInBrowser(person, publicClient);
        Flow flow = new Flow(publicClient, "openid");
        OIDCTokenResponse tokens = flow.redeem(flow.success(browser.get(flow.uri(null))).getAuthorizationCode(), null);
        RefreshToken refreshToken = tokens.getOIDCTokens().getRefreshToken();
        TokenResponse byOther = TokenResponse.parse(new TokenRequest(provider.getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID(confidentialClient), new Secret(confidentialSecret)),
                new RefreshTokenGrant(refreshToken)).toHTTPRequest().send());
        assertEquals("invalid_grant", ((TokenErrorResponse) byOther).getErrorObject().getCode());
        given().contentType(ContentType.JSON).body(Api.refreshBody(refreshToken.getValue()))
                .post("/api/v1/auth/refresh").then().statusCode(401);
    }

    @Test
    void revocationEndsTheClientsSessionByItsRefreshOrAccessTokenAndIgnoresOthers() throws Exception {
        Api.Account person = Api.register("Provider Revoke");
        Browser browser = signedInBrowser(person, publicClient);
        Flow first = new Flow(publicClient, "openid");
        OIDCTokenResponse byRefresh = first.redeem(first.success(browser.get(first.uri(null))).getAuthorizationCode(), null);
        Flow second = new Flow(publicClient, "openid");
        OIDCTokenResponse byAccess = second.redeem(second.success(browser.get(second.uri(null))).getAuthorizationCode(), null);
        BearerAccessToken untouched = byAccess.getOIDCTokens().getBearerAccessToken();

        // another client's revocation of the first session's refresh token: 200, and nothing ends
        assertEquals(200, revoke(new ClientSecretBasic(new ClientID(confidentialClient), new Secret(confidentialSecret)),
                byRefresh.getOIDCTokens().getRefreshToken()).getStatusCode());
        given().header("Authorization", byRefresh.getOIDCTokens().getBearerAccessToken().toAuthorizationHeader())
                .get("/api/v1/users/me").then().statusCode(200);

        assertEquals(200, revoke(null, byRefresh.getOIDCTokens().getRefreshToken()).getStatusCode());
        given().header("Authorization", byRefresh.getOIDCTokens().getBearerAccessToken().toAuthorizationHeader())
                .get("/api/v1/users/me").then().statusCode(401);
        TokenResponse refused = TokenResponse.parse(new TokenRequest(provider.getTokenEndpointURI(), new ClientID(publicClient),
                new RefreshTokenGrant(byRefresh.getOIDCTokens().getRefreshToken())).toHTTPRequest().send());
        assertEquals("invalid_grant", ((TokenErrorResponse) refused).getErrorObject().getCode());

        given().header("Authorization", untouched.toAuthorizationHeader()).get("/api/v1/users/me").then().statusCode(200);
        assertEquals(200, revoke(null, untouched).getStatusCode());
        given().header("Authorization", untouched.toAuthorizationHeader()).get("/api/v1/users/me").then().statusCode(401);
        assertEquals(200, revoke(null, new BearerAccessToken("not-a-token-at-all")).getStatusCode(), "an unknown token: 200");
    }

    /** RFC 7009 through the library: a public client names itself by client_id. */
    private com.nimbusds.oauth2.sdk.http.HTTPResponse revoke(ClientSecretBasic authentication,
                                                             com.nimbusds.oauth2.sdk.token.Token token) throws Exception {
        URI endpoint = URI.create(TestServer.baseUrl() + "/api/v1/oauth/revoke");
        com.nimbusds.oauth2.sdk.TokenRevocationRequest request = authentication == null
                ? new com.nimbusds.oauth2.sdk.TokenRevocationRequest(endpoint, new ClientID(publicClient), token)
                : new com.nimbusds.oauth2.sdk.TokenRevocationRequest(endpoint, authentication, token);
        return request.toHTTPRequest().send();
    }

    @Test
    void aConfidentialClientNeedsItsSecretAndARotationKeepsThePreviousOneForTheOverlap() throws Exception {
        var client = registerClient(admin, "confidential", List.of(CALLBACK));
        String clientId = client.getString("client.client_id");
        String first = client.getString("client_secret");
        String second = admin.as().contentType(ContentType.JSON).body(Map.of("previous_valid_seconds", 300))
                .post("/api/v1/admin/oauth-clients/" + clientId + "/secret").then().statusCode(200)
                .extract().path("client_secret");
        Api.Account person = Api.register("Provider Secret");
        Browser browser = signedInBrowser(person, publicClient);
        for (String secret : List.of(first, second)) {
            Flow flow = new Flow(clientId, "openid");
            AuthorizationCode code = flow.success(browser.get(flow.uri(null))).getAuthorizationCode();
            flow.redeem(code, new ClientSecretBasic(new ClientID(clientId), new Secret(secret)));
        }
        Flow flow = new Flow(clientId, "openid");
        AuthorizationCode code = flow.success(browser.get(flow.uri(null))).getAuthorizationCode();
        assertEquals("invalid_client", flow.refused(code, new ClientSecretBasic(new ClientID(clientId), new Secret("wrong"))).getCode());
        assertEquals("invalid_client", flow.refused(code, null).getCode(), "a confidential client may not go without its secret");
    }

    @Test
    void aConfidentialClientWithKeysAuthenticatesByASignedAssertionOnce() throws Exception {
        com.nimbusds.jose.jwk.RSAKey key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("app-key-1").generate();
        String clientId = admin.as().contentType(ContentType.JSON)
                .body(Map.of("name", "Keyed App", "kind", "confidential", "redirect_uris", List.of(CALLBACK),
                        "jwks", Map.of("keys", List.of(key.toPublicJWK().toJSONObject()))))
                .post("/api/v1/admin/oauth-clients").then().statusCode(201)
                .body("client.key_ids", org.hamcrest.Matchers.equalTo(List.of("app-key-1")))
                .extract().path("client.client_id");
        Browser browser = signedInBrowser(Api.register("Provider Keyed"), publicClient);
        com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT assertion = new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(
                new ClientID(clientId), provider.getTokenEndpointURI(), JWSAlgorithm.RS256, key.toRSAPrivateKey(),
                key.getKeyID(), null);
        Flow flow = new Flow(clientId, "openid");
        AuthorizationCode code = flow.success(browser.get(flow.uri(null))).getAuthorizationCode();
        TokenResponse answer = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), assertion,
                new AuthorizationCodeGrant(code, URI.create(CALLBACK), flow.verifier)).toHTTPRequest().send());
        assertTrue(answer.indicatesSuccess(), () -> answer.toErrorResponse().getErrorObject().toString());

        Flow again = new Flow(clientId, "openid");
        AuthorizationCode second = again.success(browser.get(again.uri(null))).getAuthorizationCode();
        TokenResponse replayed = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), assertion,
                new AuthorizationCodeGrant(second, URI.create(CALLBACK), again.verifier)).toHTTPRequest().send());
        assertEquals("invalid_client", replayed.toErrorResponse().getErrorObject().getCode(), "an assertion is used once");
        com.nimbusds.jose.jwk.RSAKey stranger = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("app-key-1").generate();
        TokenResponse forged = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(),
                new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(new ClientID(clientId), provider.getTokenEndpointURI(),
                        JWSAlgorithm.RS256, stranger.toRSAPrivateKey(), "app-key-1", null),
                new AuthorizationCodeGrant(second, URI.create(CALLBACK), again.verifier)).toHTTPRequest().send());
        assertEquals("invalid_client", forged.toErrorResponse().getErrorObject().getCode(), "signed by a key not registered");
    }

    @Test
    void deletingAClientEndsItsSessionsAtOnce() throws Exception {
        String clientId = registerClient(admin, "public", List.of(CALLBACK)).getString("client.client_id");
        Browser browser = signedInBrowser(Api.register("Provider Deleted Client"), publicClient);
        Flow flow = new Flow(clientId, "openid");
        OIDCTokenResponse tokens = flow.redeem(flow.success(browser.get(flow.uri(null))).getAuthorizationCode(), null);
        String bearer = tokens.getOIDCTokens().getBearerAccessToken().toAuthorizationHeader();
        given().header("Authorization", bearer).get("/api/v1/users/me").then().statusCode(200);
        admin.as().delete("/api/v1/admin/oauth-clients/" + clientId).then().statusCode(204);
        given().header("Authorization", bearer).get("/api/v1/users/me").then().statusCode(401);
        HttpResponse<String> gone = browser.get(new Flow(clientId, "openid").uri(null));
        assertEquals(400, gone.statusCode(), "a deleted client's authorization requests are refused");
    }

    @Test
    void onlyADeploymentAdminRegistersClients() {
        Api.Account tenantAdmin = Api.register("Not The Operators");
        ProblemDetailsChecks.assertProblem(tenantAdmin.as().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "kind", "public", "redirect_uris", List.of(CALLBACK)))
                .post("/api/v1/admin/oauth-clients").then(), 403, "/api/v1/admin/oauth-clients");
        ProblemDetailsChecks.assertProblem(admin.as().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "kind", "public", "redirect_uris", List.of("http://example.com/cb")))
                .post("/api/v1/admin/oauth-clients").then(), 422, "/api/v1/admin/oauth-clients");
    }

    @Test
    void statementBudgetsOfAuthorizeAndTokenAndTheWrongPasswordPage() throws Exception {
        Api.Account person = Api.register("Provider Budget");
        Browser browser = signedInBrowser(person, publicClient);
        Flow flow = new Flow(publicClient, "openid");
        String cookie = browser.cookie(SignInCookie.SESSION);
        String requestId = TestServer.newRequestId();
        HttpResponse<String> silent = browser.get(flow.uri(null), requestId);
        assertEquals(303, silent.statusCode());
        // the client, the session, the memberships, the code, the event
        assertEquals(5, TestServer.statementsOf(requestId));
        AuthorizationCode code = flow.success(silent).getAuthorizationCode();
        int tokenStatements = statements(given().contentType(ContentType.URLENC).formParams(Map.of(
                "grant_type", "authorization_code", "code", code.getValue(), "redirect_uri", CALLBACK,
                "client_id", publicClient, "code_verifier", flow.verifier.getValue())), r -> r.post("/api/v1/oauth/token"), 200);
        // the client, the code, the membership, the account, the session, the code's session
        assertEquals(6, tokenStatements);
        assertNotNull(cookie);
    }

    /** A browser that has signed in at the hosted page once, through a first flow of {@code clientId}. */
    Browser signedInBrowser(Api.Account person, String clientId) throws Exception {
        Browser browser = new Browser();
        Flow flow = new Flow(clientId, "openid");
        HttpResponse<String> page = browser.get(flow.uri(null));
        flow.success(browser.post("/api/v1/oauth/sign-in",
                Map.of("request", requestId(page), "email", person.email(), "password", PASSWORD)));
        assertNotNull(browser.cookie(SignInCookie.SESSION));
        return browser;
    }

    static String requestId(HttpResponse<String> page) {
        Matcher field = REQUEST_FIELD.matcher(page.body());
        assertTrue(field.find(), page.body());
        return field.group(1);
    }

    /** The cookie names a client never sees but a browser keeps. */
    static final class SignInCookie {
        static final String SESSION = "gatehouse_session";
    }

    /** One authorization request of a relying party: its PKCE verifier, state and nonce, built by the library. */
    final class Flow {
        final ClientID clientId;
        final String scope;
        final CodeVerifier verifier = new CodeVerifier();
        final State state = new State();
        final Nonce nonce = new Nonce();

        Flow(String clientId, String scope) {
            this.clientId = new ClientID(clientId);
            this.scope = scope;
        }

        URI uri(Prompt.Type prompt) {
            AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(ResponseType.CODE, Scope.parse(scope),
                    clientId, URI.create(CALLBACK)).endpointURI(provider.getAuthorizationEndpointURI())
                    .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256);
            if (prompt != null) {
                request.prompt(new Prompt(prompt));
            }
            return request.build().toURI();
        }

        AuthenticationResponse response(HttpResponse<String> answer) throws Exception {
            assertEquals(303, answer.statusCode(), answer.body());
            return AuthenticationResponseParser.parse(URI.create(answer.headers().firstValue("Location").orElseThrow()));
        }

        AuthenticationSuccessResponse success(HttpResponse<String> answer) throws Exception {
            AuthenticationResponse response = response(answer);
            assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
            assertEquals(state, response.getState());
            assertEquals(provider.getIssuer(), response.toSuccessResponse().getIssuer());
            return response.toSuccessResponse();
        }

        OIDCTokenResponse redeem(AuthorizationCode code, ClientSecretBasic authentication) throws Exception {
            TokenResponse response = exchange(code, authentication);
            assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
            return (OIDCTokenResponse) response.toSuccessResponse();
        }

        ErrorObject refused(AuthorizationCode code, ClientSecretBasic authentication) throws Exception {
            TokenResponse response = exchange(code, authentication);
            assertFalse(response.indicatesSuccess());
            return response.toErrorResponse().getErrorObject();
        }

        private TokenResponse exchange(AuthorizationCode code, ClientSecretBasic authentication) throws Exception {
            AuthorizationGrant grant = new AuthorizationCodeGrant(code, URI.create(CALLBACK), verifier);
            TokenRequest request = authentication == null
                    ? new TokenRequest(provider.getTokenEndpointURI(), clientId, grant)
                    : new TokenRequest(provider.getTokenEndpointURI(), authentication, grant);
            return OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
        }
    }

    /**
     * A browser without a page engine: redirects left to the test, and a cookie jar of its own, since the JDK's
     * sends no Secure cookie over http, which a browser does to localhost.
     */
    static final class Browser {
        private final Map<String, String> cookies = new java.util.concurrent.ConcurrentHashMap<>();
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> get(URI uri) throws Exception {
            return get(uri, TestServer.newRequestId());
        }

        HttpResponse<String> get(URI uri, String requestId) throws Exception {
            return send(HttpRequest.newBuilder(uri).header("X-Request-ID", requestId).GET());
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
            StringBuilder body = new StringBuilder();
            form.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&").append(name).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
            return send(HttpRequest.newBuilder(URI.create(TestServer.baseUrl() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            if (!cookies.isEmpty()) {
                request.header("Cookie", String.join("; ", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue()).toList()));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("Set-Cookie")) {
                HttpCookie cookie = HttpCookie.parse(header).getFirst();
                assertTrue(cookie.isHttpOnly() && cookie.getSecure() && header.contains("SameSite=Lax"), header);
                if (cookie.getMaxAge() == 0) {
                    cookies.remove(cookie.getName());
                } else {
                    cookies.put(cookie.getName(), cookie.getValue());
                }
            }
            return response;
        }

        String cookie(String name) {
            return cookies.get(name);
        }
    }
}
