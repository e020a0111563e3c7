package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import jakarta.json.JsonObject;
import java.time.Instant;
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
        long exp = Instant.now().getEpochSecond() + 3; // at least 2 s for the first two requests
        String token = TestTokens.rs256(TestTokens.with(TestTokens.validClaims(account), "exp", exp));
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", "Bearer " + token).get("/api/v1/users/me").then().statusCode(200);
        }
        Thread.sleep(Math.max(0, exp * 1000 + 100 - System.currentTimeMillis()));
        ProblemDetailsChecks.assertProblem(given().header("Authorization", "Bearer " + token).get("/api/v1/users/me").then(),
                401, "/api/v1/users/me");
    }

    @Test
    void aTamperedCopyOfAVerifiedTokenIsRefused() {
        given().header("Authorization", "Bearer " + account.accessToken()).get("/api/v1/users/me").then().statusCode(200);
        ProblemDetailsChecks.assertProblem(given().header("Authorization", "Bearer " + tamper(account.accessToken()))
                .get("/api/v1/users/me").then(), 401, "/api/v1/users/me");
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

    /** The same signature over a payload with one character changed. */
    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        char[] payload = parts[1].toCharArray();
        payload[10] = payload[10] == 'A' ? 'B' : 'A';
        return parts[0] + "." + new String(payload) + "." + parts[2];
    }
}
