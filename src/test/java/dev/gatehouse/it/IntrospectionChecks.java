package dev.gatehouse.it;

import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static dev.gatehouse.it.ServiceAccountChecks.machine;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Token introspection (RFC 7662) at POST /api/v1/oauth/introspect, for resource servers, driven by Nimbus's
 * OAuth 2.0 SDK as a resource server would drive it (and by REST Assured for requests no client library makes).
 * A token is active exactly when an API request with it would be accepted, and only for a client of its tenant.
 */
abstract class IntrospectionChecks {

    static final String INTROSPECTION_ENDPOINT = "/api/v1/oauth/introspect";
    static final Map<String, Object> INACTIVE = Map.of("active", false);

    static URI endpoint() {
        return URI.create("http://localhost:" + TestServer.HTTP_PORT + INTROSPECTION_ENDPOINT);
    }

    static ClientSecretBasic basic(ServiceAccountChecks.Machine client) {
        return new ClientSecretBasic(new ClientID(client.id()), new Secret(client.secret()));
    }

    /** The answer Nimbus parses from the endpoint's, which must be a success (200). */
    static TokenIntrospectionSuccessResponse introspect(ClientAuthentication client, Token token) throws Exception {
        HTTPResponse http = new TokenIntrospectionRequest(endpoint(), client, token).toHTTPRequest().send();
        assertEquals(200, http.getStatusCode(), http.getBody());
        assertEquals("no-store", http.getHeaderValue("Cache-Control"));
        TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(http);
        assertTrue(response.indicatesSuccess());
        return response.toSuccessResponse();
    }

    static TokenIntrospectionSuccessResponse introspect(ServiceAccountChecks.Machine client, String accessToken) throws Exception {
        return introspect(basic(client), new BearerAccessToken(accessToken));
    }

    /** The raw answer, for requests a client library would not send. */
    static Response introspectRaw(ServiceAccountChecks.Machine client, Map<String, String> form) {
        return given().auth().preemptive().basic(client.id(), client.secret()).contentType(ContentType.URLENC)
                .formParams(form).post(INTROSPECTION_ENDPOINT);
    }

    @Test
    void aPersonsLiveTokenIsActiveWithItsClaimsUntilTheSessionEnds() throws Exception {
        ServiceAccountChecks.Machine resourceServer = machine("Introspection People Co");
        Api.Account admin = resourceServer.admin();
        TokenIntrospectionSuccessResponse answer = introspect(resourceServer, admin.accessToken());
        assertTrue(answer.isActive());
        var issued = TestTokens.claimsOf(admin.accessToken());
        assertEquals(admin.userId(), answer.getSubject().getValue());
        assertNull(answer.getClientID(), "a person's token has no client_id");
        assertEquals("Bearer", answer.getTokenType().getValue());
        assertEquals(admin.email(), answer.getUsername());
        assertEquals("gatehouse", answer.getIssuer().getValue());
        assertEquals(List.of(new Audience("gatehouse-api")), answer.getAudience());
        assertEquals(issued.getString("jti"), answer.getJWTID().getValue());
        assertEquals(issued.getJsonNumber("exp").longValue(), answer.getExpirationTime().toInstant().getEpochSecond());
        assertEquals(issued.getJsonNumber("iat").longValue(), answer.getIssueTime().toInstant().getEpochSecond());
        assertNull(answer.getNotBeforeTime());
        assertNull(answer.getScope(), "Gatehouse tokens carry roles, not scopes");
        assertEquals(admin.tenantId(), answer.getStringParameter("tenant_id"));
        assertEquals(issued.getString("sid"), answer.getStringParameter("sid"));
        assertTrue(answer.getStringListParameter("groups").contains("admin"));
        assertEquals(issued.getJsonNumber("auth_time").longValue(), answer.getNumberParameter("auth_time").longValue());
        assertEquals(issued.getJsonArray("amr").size(), answer.getStringListParameter("amr").size());
        assertEquals(Boolean.FALSE, answer.getBooleanParameter("service_account"));
        assertFalse(answer.toJSONObject().containsKey("token_version"), "internal claims stay inside");

        // the hint is a hint: a wrong one and an unknown one change nothing (RFC 7662 §2.1)
        introspectRaw(resourceServer, Map.of("token", admin.accessToken(), "token_type_hint", "refresh_token"))
                .then().statusCode(200).body("active", equalTo(true));
        introspectRaw(resourceServer, Map.of("token", admin.accessToken(), "token_type_hint", "id_token"))
                .then().statusCode(200).body("active", equalTo(true));

        json(refreshBody(admin.refreshToken())).post("/api/v1/auth/logout").then().statusCode(204);
        assertFalse(introspect(resourceServer, admin.accessToken()).isActive(), "the session ended: inactive at once");
        introspectRaw(resourceServer, Map.of("token", admin.accessToken())).then().statusCode(200)
                .header("Cache-Control", "no-store").body("", equalTo(INACTIVE));
    }

    @Test
    void logoutAllAndDeactivationMakeTokensInactiveAtOnce() throws Exception {
        ServiceAccountChecks.Machine resourceServer = machine("Introspection Revocation Co");
        Api.Account leaving = Api.addUser(resourceServer.admin(), false);
        Api.Account deactivated = Api.addUser(resourceServer.admin(), false);
        for (int i = 0; i < 2; i++) { // the second from the caller cache
            assertTrue(introspect(resourceServer, leaving.accessToken()).isActive());
            assertTrue(introspect(resourceServer, deactivated.accessToken()).isActive());
        }
        leaving.as().post("/api/v1/auth/logout-all").then().statusCode(204);
        resourceServer.admin().as().post("/api/v1/users/" + deactivated.userId() + "/deactivate").then().statusCode(200);
        introspectRaw(resourceServer, Map.of("token", leaving.accessToken())).then().statusCode(200).body("", equalTo(INACTIVE));
        introspectRaw(resourceServer, Map.of("token", deactivated.accessToken())).then().statusCode(200).body("", equalTo(INACTIVE));
    }

    @Test
    void aServiceAccountsTokenIsActiveWithItsClientIdUntilItsCredentialIsRevoked() throws Exception {
        ServiceAccountChecks.Machine resourceServer = machine("Introspection Machines Co");
        String callerRole = resourceServer.roleId();
        String callerId = ServiceAccountChecks.serviceAccount(resourceServer.admin(), "api caller", List.of(callerRole));
        Map<String, String> secret = ServiceAccountChecks.secret(resourceServer.admin(), callerId);
        String token = ServiceAccountChecks.accessToken(callerId, secret.get("secret"));

        TokenIntrospectionSuccessResponse answer = introspect(resourceServer, token);
        assertTrue(answer.isActive());
        assertEquals(callerId, answer.getSubject().getValue());
        assertEquals(callerId, answer.getClientID().getValue());
        assertNull(answer.getUsername(), "a machine has no username");
        assertEquals(Boolean.TRUE, answer.getBooleanParameter("service_account"));
        assertEquals(secret.get("id"), answer.getStringParameter("sid"));
        assertEquals(List.of("reader"), answer.getStringListParameter("groups"));
        assertNull(answer.getParameters().get("auth_time"));
        assertNull(answer.getParameters().get("amr"));
        // a client may introspect its own token, and authenticate in the form as well
        assertTrue(introspect(new ClientSecretPost(new ClientID(callerId), new Secret(secret.get("secret"))),
                new BearerAccessToken(token)).isActive());

        resourceServer.admin().as().delete("/api/v1/service-accounts/" + callerId + "/credentials/" + secret.get("id"))
                .then().statusCode(204);
        introspectRaw(resourceServer, Map.of("token", token)).then().statusCode(200).body("", equalTo(INACTIVE));
    }

    @Test
    void aClientAuthenticatedWithASignedAssertionIntrospectsToo() throws Exception {
        ServiceAccountChecks.Machine resourceServer = machine("Introspection Assertion Co");
        RSAKey key = new RSAKeyGenerator(2048).keyID("rs-key-1").generate();
        resourceServer.admin().as().contentType(ContentType.JSON).body(Map.of("jwk", key.toPublicJWK().toJSONObject()))
                .post("/api/v1/service-accounts/" + resourceServer.id() + "/keys").then().statusCode(201);
        // Nimbus names the endpoint it sends to as the assertion's audience
        PrivateKeyJWT assertion = new PrivateKeyJWT(new ClientID(resourceServer.id()), endpoint(), JWSAlgorithm.RS256,
                key.toRSAPrivateKey(), key.getKeyID(), null);
        assertTrue(introspect(assertion, new BearerAccessToken(resourceServer.admin().accessToken())).isActive());
        // an assertion is used once
        HTTPResponse replayed = new TokenIntrospectionRequest(endpoint(), assertion,
                new BearerAccessToken(resourceServer.admin().accessToken())).toHTTPRequest().send();
        assertEquals(401, replayed.getStatusCode());
        assertEquals("invalid_client", replayed.getBodyAsJSONObject().get("error"));
    }

    /** No cross-tenant answers: a client of one tenant learns nothing of another tenant's tokens. */
    @Test
    void aTokenOfAnotherTenantIsInactive() throws Exception {
        ServiceAccountChecks.Machine resourceServer = machine("Introspection Here Co");
        ServiceAccountChecks.Machine elsewhere = machine("Introspection Elsewhere Co");
        introspectRaw(resourceServer, Map.of("token", elsewhere.admin().accessToken())).then().statusCode(200)
                .body("", equalTo(INACTIVE));
        introspectRaw(resourceServer, Map.of("token", elsewhere.token())).then().statusCode(200).body("", equalTo(INACTIVE));
        // the same tokens are active for their own tenant's client
        assertTrue(introspect(elsewhere, elsewhere.admin().accessToken()).isActive());
    }

    @Test
    void anythingButALiveAccessTokenIsInactive() throws Exception {
        ServiceAccountChecks.Machine resourceServer = machine("Introspection Garbage Co");
        Api.Account admin = resourceServer.admin();
        String live = admin.accessToken();
        String wrongSignature = live.substring(0, live.lastIndexOf('.') + 1)
                + new StringBuilder(live.substring(live.lastIndexOf('.') + 1)).reverse();
        long past = Instant.now().getEpochSecond() - 60;
        String expired = TestTokens.rs256(TestTokens.with(TestTokens.with(TestTokens.validClaims(admin), "iat", past - 600),
                "exp", past));
        String wrongAudience = TestTokens.rs256(TestTokens.with(TestTokens.validClaims(admin), "aud", "another-api"));
        String unsigned = TestTokens.unsigned(TestTokens.validClaims(admin));
        String keyConfusion = TestTokens.hs256WithPublicKey(TestTokens.validClaims(admin));
        for (String token : List.of("garbage", "a.b.c", wrongSignature, expired, wrongAudience, unsigned, keyConfusion,
                admin.refreshToken())) {
            introspectRaw(resourceServer, Map.of("token", token)).then().statusCode(200).contentType(ContentType.JSON)
                    .header("Cache-Control", "no-store").body("", equalTo(INACTIVE));
        }
        assertFalse(introspect(basic(resourceServer), new RefreshToken(admin.refreshToken())).isActive(),
                "refresh tokens are not introspected");
        // a token forged with the server's key but otherwise right is as good as an issued one: the check is the signature
        assertTrue(introspect(resourceServer, TestTokens.rs256(TestTokens.validClaims(admin))).isActive());
    }

    @Test
    void badClientsAndBadRequestsGetOAuthErrors() {
        ServiceAccountChecks.Machine resourceServer = machine("Introspection Errors Co");
        String token = resourceServer.admin().accessToken();
        given().auth().preemptive().basic(resourceServer.id(), "not-the-secret").contentType(ContentType.URLENC)
                .formParam("token", token).post(INTROSPECTION_ENDPOINT).then().statusCode(401)
                .contentType(ContentType.JSON).header("WWW-Authenticate", startsWith("Basic"))
                .header("Cache-Control", "no-store").body("error", equalTo("invalid_client"));
        given().contentType(ContentType.URLENC).formParam("token", token).post(INTROSPECTION_ENDPOINT).then()
                .statusCode(401).body("error", equalTo("invalid_client"));
        given().contentType(ContentType.URLENC).formParam("token", token).formParam("client_id", resourceServer.id())
                .post(INTROSPECTION_ENDPOINT).then().statusCode(401).body("error", equalTo("invalid_client"));
        introspectRaw(resourceServer, Map.of()).then().statusCode(400).body("error", equalTo("invalid_request"));
        introspectRaw(resourceServer, Map.of("token", "")).then().statusCode(400).body("error", equalTo("invalid_request"));
        given().auth().preemptive().basic(resourceServer.id(), resourceServer.secret()).contentType(ContentType.URLENC)
                .formParam("token", token).formParam("token", token).post(INTROSPECTION_ENDPOINT).then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        given().auth().preemptive().basic(resourceServer.id(), resourceServer.secret()).contentType(ContentType.URLENC)
                .formParam("token", token).formParam("client_id", resourceServer.id())
                .formParam("client_secret", resourceServer.secret()).post(INTROSPECTION_ENDPOINT).then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        json(Map.of("token", token)).post(INTROSPECTION_ENDPOINT).then().statusCode(415);
        // a person's bearer token is no client authentication
        resourceServer.admin().as().contentType(ContentType.URLENC).formParam("token", token).post(INTROSPECTION_ENDPOINT)
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        // its own per-address budget (GATEHOUSE_RATE_LIMIT_INTROSPECT_PER_MINUTE, raised for the suite)
        assertNotNull(introspectRaw(resourceServer, Map.of("token", token)).then().statusCode(200)
                .header("RateLimit-Policy", startsWith("\"introspect\";q=")).body("active", equalTo(true))
                .extract().path("sub"));
    }
}
