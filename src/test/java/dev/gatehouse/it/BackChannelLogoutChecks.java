package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenID Connect Back-Channel Logout and RP-Initiated Logout, seen by relying parties: each test's client has a
 * back-channel logout endpoint of its own on a JDK HttpServer, and every logout token it receives is checked by
 * the Nimbus SDK's LogoutTokenValidator against the JWKS (typ logout+jwt required). The sessions end by
 * RP-initiated logout, logout-all, a password change and the person ending the browser session; a receiver that
 * fails first gets the token on a retry, one that always fails is given up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackChannelLogoutChecks {

    private static final String SIGNED_OUT = "http://localhost:9/signed-out";
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    /** The code flow's relying-party helpers (Flow, Browser); its own clients are registered and unused. */
    private final OpenIdProviderChecks relyingParty = new OpenIdProviderChecks() {
    };
    private HttpServer server;
    private Api.Account admin;
    private OIDCProviderMetadata provider;

    /** A client's back-channel logout endpoint: the tokens it received, and how many POSTs it answers 500 first. */
    private record Receiver(String path, List<String> tokens, AtomicInteger failuresLeft, AtomicInteger posts) {
    }

    @BeforeAll
    void start() throws Exception {
        relyingParty.registerClients();
        admin = Api.deploymentAdmin();
        provider = OIDCProviderMetadata.resolve(new Issuer(TestServer.baseUrl()));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
    }

    @AfterAll
    void stop() {
        server.stop(0);
    }

    @Test
    void discoveryAnnouncesBackChannelLogoutAndTheEndSessionEndpoint() {
        assertTrue(provider.supportsBackChannelLogout());
        assertTrue(provider.supportsBackChannelLogoutSession());
        assertEquals(URI.create(TestServer.baseUrl() + "/api/v1/oauth/logout"), provider.getEndSessionEndpointURI());
    }

    @Test
    void rpInitiatedLogoutEndsTheSessionsRedirectsWithStateAndNotifiesTheClient() throws Exception {
        Receiver receiver = receiver(0);
        String clientId = registerClient(receiver);
        Api.Account person = Api.register("Logout RP");
        OpenIdProviderChecks.Browser browser = relyingParty.signedInBrowser(person, clientId);
        OIDCTokenResponse tokens = signIn(browser, clientId);
        String idToken = tokens.getOIDCTokens().getIDTokenString();
        String sid = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");

        HttpResponse<String> answer = browser.get(logoutUri(idToken, SIGNED_OUT, "st-1"));
        assertEquals(303, answer.statusCode(), answer.body());
        assertEquals(SIGNED_OUT + "?state=st-1", answer.headers().firstValue("Location").orElseThrow());
        assertTrue(answer.headers().allValues("Set-Cookie").stream()
                .anyMatch(c -> c.startsWith("gatehouse_session=;") && c.contains("Max-Age=0")), answer.headers().toString());
        assertNull(browser.cookie(OpenIdProviderChecks.SignInCookie.SESSION));

        assertFalse(refresh(clientId, tokens).indicatesSuccess(), "the client's refresh token is refused");
        LogoutTokenClaimsSet claims = awaitLogoutToken(receiver, clientId);
        assertEquals(person.userId(), claims.getSubject().getValue());
        assertEquals(sid, claims.getSessionID().getValue());
        assertEquals(1, TestDatabase.queryLong(
                "select count(*) from security_events where type = 'oauth.logout' and subject_user_id = ?::uuid", person.userId()));
    }

    @Test
    void aLogoutNoClientVouchesForIsConfirmedByThePersonFirst() throws Exception {
        Receiver receiver = receiver(0);
        String clientId = registerClient(receiver);
        Api.Account person = Api.register("Logout Unvouched");
        OpenIdProviderChecks.Browser browser = relyingParty.signedInBrowser(person, clientId);
        OIDCTokenResponse tokens = signIn(browser, clientId);

        HttpResponse<String> question = browser.get(URI.create(TestServer.baseUrl() + "/api/v1/oauth/logout?client_id="
                + clientId + "&post_logout_redirect_uri=" + encode(SIGNED_OUT) + "&state=st-9"));
        assertEquals(200, question.statusCode(), question.body());
        assertTrue(question.body().contains("name=\"confirm\" value=\"yes\""), question.body());
        assertTrue(question.headers().allValues("Set-Cookie").isEmpty(), "nothing ends before the person confirms");
        assertTrue(refresh(clientId, tokens).indicatesSuccess(), "the session lives on");

        HttpResponse<String> confirmed = browser.post("/api/v1/oauth/logout", Map.of("confirm", "yes", "client_id", clientId,
                "post_logout_redirect_uri", SIGNED_OUT, "state", "st-9"));
        assertEquals(200, confirmed.statusCode(), confirmed.body());
        assertTrue(confirmed.body().contains(SIGNED_OUT + "?state=st-9"), "a link back to the client: " + confirmed.body());
        assertNull(browser.cookie(OpenIdProviderChecks.SignInCookie.SESSION));
        awaitLogoutToken(receiver, clientId);
    }

    @Test
    void anUnregisteredPostLogoutRedirectUriIsNotFollowed() throws Exception {
        Receiver receiver = receiver(0);
        String clientId = registerClient(receiver);
        Api.Account person = Api.register("Logout Elsewhere");
        OpenIdProviderChecks.Browser browser = relyingParty.signedInBrowser(person, clientId);
        String idToken = signIn(browser, clientId).getOIDCTokens().getIDTokenString();

        HttpResponse<String> answer = browser.get(logoutUri(idToken, "https://attacker.example/cb", "st-2"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("Location").isEmpty());
        assertTrue(answer.body().contains("You are signed out"), answer.body());
        assertTrue(answer.headers().firstValue("Content-Security-Policy").orElseThrow().contains("default-src 'none'"));
        awaitLogoutToken(receiver, clientId);

        HttpResponse<String> forged = browser.get(logoutUri("not.an.idtoken", SIGNED_OUT, "st-3"));
        assertEquals(400, forged.statusCode(), forged.body());
        assertTrue(forged.body().contains("invalid-logout-request"), forged.body());
    }

    @Test
    void logoutAllNotifiesTheClient() throws Exception {
        Receiver receiver = receiver(0);
        String clientId = registerClient(receiver);
        Api.Account person = Api.register("Logout All");
        OIDCTokenResponse tokens = signIn(relyingParty.signedInBrowser(person, clientId), clientId);
        assertTrue(refresh(clientId, tokens).indicatesSuccess(), "a rotation ends no session: nothing is sent for it");
        given().header("Authorization", tokens.getOIDCTokens().getBearerAccessToken().toAuthorizationHeader())
                .post("/api/v1/auth/logout-all").then().statusCode(204);
        LogoutTokenClaimsSet claims = awaitLogoutToken(receiver, clientId);
        assertEquals(person.userId(), claims.getSubject().getValue());
        Polling.sleep(1500);
        assertEquals(1, receiver.tokens().size(), "one logout token per client and session, though two sessions ended");
    }

    @Test
    void aPasswordChangeNotifiesTheClient() throws Exception {
        Receiver receiver = receiver(0);
        String clientId = registerClient(receiver);
        Api.Account person = Api.register("Logout Password");
        signIn(relyingParty.signedInBrowser(person, clientId), clientId);
        person.as().contentType(ContentType.JSON)
                .body(Map.of("current_password", Api.PASSWORD, "new_password", "a brand new password 42"))
                .post("/api/v1/users/me/password").then().statusCode(204);
        assertEquals(person.userId(), awaitLogoutToken(receiver, clientId).getSubject().getValue());
    }

    @Test
    void aReceiverThatFailsIsTriedAgainUntilItTakesTheToken() throws Exception {
        Receiver receiver = receiver(2);
        String clientId = registerClient(receiver);
        Api.Account person = Api.register("Logout Retry");
        OIDCTokenResponse tokens = signIn(relyingParty.signedInBrowser(person, clientId), clientId);
        given().header("Authorization", tokens.getOIDCTokens().getBearerAccessToken().toAuthorizationHeader())
                .post("/api/v1/auth/logout-all").then().statusCode(204);
        assertEquals(person.userId(), awaitLogoutToken(receiver, clientId).getSubject().getValue());
        assertEquals(3, receiver.posts().get(), "two answers of 500, then delivered at the last attempt");
        Polling.awaitTrue(DELIVERY, "the notification is marked delivered", () -> TestDatabase.queryLong(
                "select count(*) from logout_notifications where client_id = ?::uuid and delivered_at is not null", clientId) == 1);
    }

    @Test
    void aBrowserSessionEndedByItsPersonNotifiesTheClientsWithLiveSessionsFromIt() throws Exception {
        Receiver receiver = receiver(0);
        String clientId = registerClient(receiver);
        Api.Account person = Api.register("Logout Browser Session");
        OIDCTokenResponse tokens = signIn(relyingParty.signedInBrowser(person, clientId), clientId);
        String sid = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");
        person.as().delete("/api/v1/users/me/sessions/" + sid).then().statusCode(204);
        assertEquals(sid, awaitLogoutToken(receiver, clientId).getSessionID().getValue());
    }

    @Test
    void aReceiverThatNeverTakesTheTokenIsGivenUpAfterTheLastAttempt() throws Exception {
        Receiver receiver = receiver(Integer.MAX_VALUE);
        String clientId = registerClient(receiver);
        Api.Account person = Api.register("Logout Given Up");
        OIDCTokenResponse tokens = signIn(relyingParty.signedInBrowser(person, clientId), clientId);
        given().header("Authorization", tokens.getOIDCTokens().getBearerAccessToken().toAuthorizationHeader())
                .post("/api/v1/auth/logout-all").then().statusCode(204);
        Polling.awaitTrue(DELIVERY, "the notification is given up, as a security event", () -> TestDatabase.queryLong(
                "select count(*) from security_events where type = 'logout_notification.given_up' and subject_user_id = ?::uuid",
                person.userId()) == 1);
        // GATEHOUSE_BACKCHANNEL_LOGOUT_MAX_ATTEMPTS in the test server's environment
        assertEquals(3, receiver.posts().get());
    }

    /** A code flow of the client in a signed-in browser, its code redeemed: a client session from the browser's. */
    private OIDCTokenResponse signIn(OpenIdProviderChecks.Browser browser, String clientId) throws Exception {
        OpenIdProviderChecks.Flow flow = relyingParty.new Flow(clientId, "openid");
        return flow.redeem(flow.success(browser.get(flow.uri(null))).getAuthorizationCode(), null);
    }

    private TokenResponse refresh(String clientId, OIDCTokenResponse tokens) throws Exception {
        return TokenResponse.parse(new TokenRequest(provider.getTokenEndpointURI(), new ClientID(clientId),
                new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())).toHTTPRequest().send());
    }

    private static URI logoutUri(String idToken, String redirectUri, String state) {
        return URI.create(TestServer.baseUrl() + "/api/v1/oauth/logout?id_token_hint=" + encode(idToken)
                + "&post_logout_redirect_uri=" + encode(redirectUri) + "&state=" + encode(state));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private Receiver receiver(int failFirst) {
        Receiver receiver = new Receiver("/logout/" + java.util.UUID.randomUUID(), new CopyOnWriteArrayList<>(),
                new AtomicInteger(failFirst), new AtomicInteger());
        server.createContext(receiver.path(), exchange -> {
            try (exchange) {
                receiver.posts().incrementAndGet();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean form = exchange.getRequestHeaders().getFirst("Content-Type").startsWith("application/x-www-form-urlencoded");
                if (receiver.failuresLeft().getAndDecrement() > 0 || !form || !body.startsWith("logout_token=")) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                receiver.tokens().add(URLDecoder.decode(body.substring("logout_token=".length()), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(500, -1);
            }
        });
        return receiver;
    }

    private String registerClient(Receiver receiver) {
        String uri = "http://127.0.0.1:" + server.getAddress().getPort() + receiver.path();
        return admin.as().contentType(ContentType.JSON)
                .body(Map.of("name", "Back-channel app", "kind", "public", "redirect_uris", List.of(OpenIdProviderChecks.CALLBACK),
                        "post_logout_redirect_uris", List.of(SIGNED_OUT), "grant_types", List.of("authorization_code", "refresh_token"),
                        "backchannel_logout_uri", uri))
                .post("/api/v1/admin/oauth-clients").then().statusCode(201)
                .body("client.backchannel_logout_uri", org.hamcrest.Matchers.equalTo(uri))
                .extract().path("client.client_id");
    }

    /** The first logout token the receiver got, validated as a relying party would: signature, typ, iss, aud, events. */
    private LogoutTokenClaimsSet awaitLogoutToken(Receiver receiver, String clientId) throws Exception {
        Polling.awaitTrue(DELIVERY, "a logout token reaches the client", () -> !receiver.tokens().isEmpty());
        LogoutTokenValidator validator = new LogoutTokenValidator(provider.getIssuer(), new ClientID(clientId), true,
                new JWSVerificationKeySelector<SecurityContext>(JWSAlgorithm.RS256,
                        JWKSourceBuilder.create(provider.getJWKSetURI().toURL()).build()), null);
        String token = receiver.tokens().getFirst();
        LogoutTokenClaimsSet claims = validator.validate(JWTParser.parse(token));
        assertNull(claims.getClaim("nonce"));
        return claims;
    }
}
