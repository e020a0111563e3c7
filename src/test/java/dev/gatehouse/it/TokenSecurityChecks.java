package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import dev.gatehouse.testing.TestJwts;
import io.restassured.http.ContentType;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad access token is a 401 problem; the same claims properly signed are accepted. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TokenSecurityChecks {

    private Api.Account account;

    @BeforeAll
    void registerAccount() {
        account = Api.register("Token Security Co");
    }

    @Test
    void properlySignedForgeryOfTheSameClaimsIsAccepted() throws Exception {
        // The control: the forging helper itself makes tokens the server accepts.
        String token = TestTokens.rs256(TestTokens.validClaims(account));
        given().header("Authorization", "Bearer " + token).get("/api/v1/users/me")
                .then().statusCode(200).body("id", equalTo(account.userId()));
    }

    @Test
    void aVerifiedTokenIsRefusedFromItsExpiryOn() throws Exception {
        // The second request takes MP-JWT's verdict from VerifiedTokenCache; the third comes after exp.
        // exp is far enough ahead for two requests on a loaded machine; the test then waits for the clock.
        long exp = Instant.now().getEpochSecond() + 8;
        String token = TestTokens.rs256(TestTokens.with(TestTokens.validClaims(account), "exp", exp));
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", "Bearer " + token).get("/api/v1/users/me").then().statusCode(200);
        }
        Polling.awaitTrue(Duration.ofSeconds(15), Duration.ofMillis(100), "the token's exp has passed",
                () -> System.currentTimeMillis() >= exp * 1000 + 1000);
        assertRefused(token);
    }

    @Test
    void aTamperedCopyOfAVerifiedTokenIsRefused() {
        given().header("Authorization", "Bearer " + account.accessToken()).get("/api/v1/users/me").then().statusCode(200);
        ProblemDetailsChecks.assertProblem(given().header("Authorization", "Bearer " + tamper(account.accessToken()))
                .get("/api/v1/users/me").then(), 401, "/api/v1/users/me");
    }

    @Test
    void aTokenSignedWithAForeignKeyIsRefusedBeforeAndAfterTheGenuineOneIsCached() {
        JsonObject claims = TestTokens.validClaims(account);
        String foreign = TestJwts.rs256(Json.createObjectBuilder().add("alg", "RS256").add("typ", "JWT").build(), claims,
                TestJwts.newRsaKeyPair().getPrivate());
        String genuine = TestTokens.rs256(claims);
        assertRefused(foreign);
        given().header("Authorization", "Bearer " + genuine).get("/api/v1/users/me").then().statusCode(200);
        assertRefused(foreign);
    }

    @Test
    void editedSubjectUnderTheOriginalSignatureIsRefused() {
        Api.Account member = Api.addUser(account, false);
        JsonObject theirs = TestTokens.claimsOf(member.accessToken());
        JsonObject edited = Json.createObjectBuilder(TestTokens.claimsOf(account.accessToken()))
                .add("sub", theirs.getString("sub")).add("upn", theirs.getString("upn")).add("sid", theirs.getString("sid")).build();
        assertEditRefusedBeforeAndAfter(account.accessToken(), edited);
    }

    @Test
    void editedTenantUnderTheOriginalSignatureIsRefused() {
        Api.Account owner = Api.register("Edited Tenant Co");
        String second = owner.as().contentType(ContentType.JSON).body(Map.of("name", "Edited Tenant Two"))
                .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
        String inSecond = owner.as().contentType(ContentType.JSON).body(Map.of("tenant", second))
                .post("/api/v1/auth/switch-tenant").then().statusCode(200).extract().path("access_token");
        JsonObject edited = Json.createObjectBuilder(TestTokens.claimsOf(owner.accessToken()))
                .add("tenant_id", second).add("sid", TestTokens.claimsOf(inSecond).getString("sid")).build();
        assertEditRefusedBeforeAndAfter(owner.accessToken(), edited);
    }

    @Test
    void editedTokenVersionUnderTheOriginalSignatureIsRefused() {
        Api.Account owner = Api.register("Edited Version Co");
        String unused = Api.login(owner.email(), Api.PASSWORD, null).getString("access_token");
        owner.as().get("/api/v1/users/me").then().statusCode(200); // the genuine token's verdict is cached
        TestDatabase.update("update users set token_version = 1 where id = ?::uuid", owner.userId());
        for (String genuine : List.of(owner.accessToken(), unused)) {
            JsonObject edited = TestTokens.with(TestTokens.claimsOf(genuine), "token_version", 1);
            // the edited claims are acceptable once properly signed (after the server saw the new version)
            Polling.awaitTrue(Duration.ofSeconds(10), "the new token version is seen", () -> given()
                    .header("Authorization", "Bearer " + TestTokens.rs256(TestTokens.with(edited, "jti", UUID.randomUUID().toString())))
                    .get("/api/v1/users/me").statusCode() == 200);
            assertRefused(withSignatureOf(genuine, edited));
        }
    }

    /** Refused before the genuine token was ever sent, and after its verdict is cached; the same claims signed pass. */
    private static void assertEditRefusedBeforeAndAfter(String genuine, JsonObject edited) {
        String forged = withSignatureOf(genuine, edited);
        assertRefused(forged);
        given().header("Authorization", "Bearer " + genuine).get("/api/v1/users/me").then().statusCode(200);
        assertRefused(forged);
        given().header("Authorization", "Bearer " + TestTokens.rs256(edited)).get("/api/v1/users/me").then().statusCode(200);
    }

    private static void assertRefused(String token) {
        ProblemDetailsChecks.assertProblem(given().header("Authorization", "Bearer " + token).get("/api/v1/users/me").then(),
                401, "/api/v1/users/me");
    }

    /** The token's header and signature around other claims: well-formed JSON, only the signature is wrong. */
    private static String withSignatureOf(String token, JsonObject claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + TestJwts.base64Url(claims) + "." + parts[2];
    }

    Stream<Arguments> badTokens() throws Exception {
        JsonObject valid = TestTokens.validClaims(account);
        long past = Instant.now().minusSeconds(3600).getEpochSecond();
        return Stream.of(
                Arguments.of("garbage", "not-a-jwt"),
                Arguments.of("alg none", TestTokens.unsigned(valid)),
                Arguments.of("HS256 signed with the public key", TestTokens.hs256WithPublicKey(valid)),
                Arguments.of("wrong issuer", TestTokens.rs256(TestTokens.with(valid, "iss", "someone-else"))),
                Arguments.of("wrong audience", TestTokens.rs256(TestTokens.with(valid, "aud", "another-api"))),
                Arguments.of("expired", TestTokens.rs256(TestTokens.with(TestTokens.with(valid, "iat", past - 900), "exp", past))),
                Arguments.of("stale token version", TestTokens.rs256(TestTokens.with(valid, "token_version", -1))),
                Arguments.of("tenant of another tenant", TestTokens.rs256(TestTokens.with(valid, "tenant_id", Api.register("Other Co").tenantId()))),
                Arguments.of("refresh token as access token", account.refreshToken()),
                Arguments.of("tampered payload", tamper(account.accessToken())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void badAccessTokenIs401Problem(String what, String token) {
        ProblemDetailsChecks.assertProblem(given().header("Authorization", "Bearer " + token).get("/api/v1/users/me").then(),
                401, "/api/v1/users/me");
    }

    /**
     * The same header and signature over the same claims but a later expiry: still a well-formed token the
     * server would accept were it signed, so only the signature check can refuse it.
     */
    private static String tamper(String token) {
        JsonObject claims = TestTokens.claimsOf(token);
        return withSignatureOf(token, TestTokens.with(claims, "exp", claims.getJsonNumber("exp").longValue() + 60));
    }
}
