package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sessions (a refresh-token family and the access tokens issued from it): ending one ends its access tokens
 * on the next request, a revocation racing a rotation leaves no live session, no session outlives its
 * maximum age, and a user sees and ends their own sessions.
 */
abstract class SessionChecks {

    private static Response me(String accessToken) {
        return given().header("Authorization", "Bearer " + accessToken).get("/api/v1/users/me");
    }

    private static String sessionIdOf(String accessToken) {
        return TestTokens.claimsOf(accessToken).getString("sid");
    }

    @Test
    void logoutEndsThatSessionsAccessTokensAtOnce() {
        Api.Account account = Api.register("Logout Access Co");
        String other = Api.login(account.email(), PASSWORD, null).getString("access_token");
        me(account.accessToken()).then().statusCode(200); // the caller is cached now

        json(refreshBody(account.refreshToken())).post("/api/v1/auth/logout").then().statusCode(204);

        ProblemDetailsChecks.assertProblem(me(account.accessToken()).then(), 401, "/api/v1/users/me");
        me(other).then().statusCode(200);
    }

    @Test
    void reuseDetectionEndsTheFamilysAccessTokensAtOnce() {
        Api.Account account = Api.register("Reuse Access Co");
        JsonPath rotated = json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh")
                .then().statusCode(200).extract().jsonPath();
        String accessToken = rotated.getString("access_token");
        me(accessToken).then().statusCode(200);
        assertEquals(sessionIdOf(account.accessToken()), sessionIdOf(accessToken), "rotation keeps the session");

        AuthChecks.afterReuseInterval(account.refreshToken());
        json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401); // replay

        me(accessToken).then().statusCode(401);
        json(refreshBody(rotated.getString("refresh_token"))).post("/api/v1/auth/refresh").then().statusCode(401);
    }

    /**
     * A rotation and a revocation of the same session, both held at the token's row (the test locks it) until
     * both wait there, then let go in the order they came: the rotation first (it reads the account's state
     * before the revocation commits and inserts a successor the revocation's statement never sees: before
     * refresh tokens carried the token version, that successor kept the session alive), or the revocation
     * first (the rotation then finds its token revoked). Either way no refresh token of the session works after.
     */
    @ParameterizedTest(name = "{0}, the rotation first: {1}")
    @MethodSource("revocationRaces")
    void aRotationRacingARevocationLeavesNoLiveSession(String revocation, boolean rotationFirst) throws Exception {
        Api.Account admin = Api.register("Race " + revocation + " Co");
        Api.Account user = Api.addUser(admin, false);
        Callable<Response> rotation = () -> json(refreshBody(user.refreshToken())).post("/api/v1/auth/refresh");
        Callable<Void> revocationCall = () -> {
            revoke(revocation, admin, user);
            return null;
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Response> rotated;
            Future<Void> revoked;
            try (TestDatabase.HeldLock row = TestDatabase.hold("select 1 from refresh_tokens"
                    + " where token_hash = sha256(convert_to(?, 'UTF8')) for update", user.refreshToken())) {
                if (rotationFirst) {
                    rotated = pool.submit(rotation);
                    row.awaitServerWaiters(1);
                    revoked = pool.submit(revocationCall);
                } else {
                    revoked = pool.submit(revocationCall);
                    row.awaitServerWaiters(1);
                    rotated = pool.submit(rotation);
                }
                row.awaitServerWaiters(2);
            }
            revoked.get();
            Response rotationResponse = rotated.get();
            assertEquals(rotationFirst ? 200 : 401, rotationResponse.statusCode(), "the rotation");
            String latest = rotationFirst ? rotationResponse.path("refresh_token") : user.refreshToken();
            assertEquals(401, json(refreshBody(latest)).post("/api/v1/auth/refresh").statusCode(),
                    "the session survived " + revocation);
        } finally {
            pool.shutdownNow();
        }
    }

    static Stream<Arguments> revocationRaces() {
        return Stream.of("logout-all", "password change", "deactivation")
                .flatMap(revocation -> Stream.of(Arguments.of(revocation, true), Arguments.of(revocation, false)));
    }

    private static void revoke(String revocation, Api.Account admin, Api.Account user) {
        switch (revocation) {
            case "logout-all" -> user.as().post("/api/v1/auth/logout-all").then().statusCode(204);
            case "password change" -> user.as().contentType(ContentType.JSON)
                    .body(Map.of("current_password", PASSWORD, "new_password", "another long passphrase"))
                    .post("/api/v1/users/me/password").then().statusCode(204);
            case "deactivation" -> admin.as().post("/api/v1/users/" + user.userId() + "/deactivate").then().statusCode(200);
            default -> throw new IllegalArgumentException(revocation);
        }
    }

    @Test
    void noRotationExtendsASessionPastItsMaximumAge() {
        Api.Account account = Api.register("Max Age Co");
        String sessionId = sessionIdOf(account.accessToken());
        // the session began 90 days less one hour ago: a rotation now may extend it by one hour, not 30 days
        TestDatabase.update("update refresh_tokens set session_started_at = now() - interval '90 days' + interval '1 hour'"
                + " where family_id = ?::uuid", sessionId);
        String next = json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh")
                .then().statusCode(200).extract().path("refresh_token");

        long secondsLeft = TestDatabase.queryLong("select extract(epoch from expires_at - now())::bigint from refresh_tokens"
                + " where family_id = ?::uuid and revoked_at is null", sessionId);
        assertTrue(secondsLeft > 55 * 60 && secondsLeft <= 60 * 60,
                "expires at the session's maximum age, in " + secondsLeft + " s");

        // once that moment has passed, the token is refused like any expired one
        TestDatabase.update("update refresh_tokens set expires_at = now() - interval '1 second' where family_id = ?::uuid", sessionId);
        json(refreshBody(next)).post("/api/v1/auth/refresh").then().statusCode(401);
    }

    @Test
    void aUserSeesTheirSessionsAndEndsOne() {
        Api.Account account = Api.register("Devices Co");
        JsonPath phone = given().header("User-Agent", "Phone/1.0").contentType(ContentType.JSON)
                .body(Map.of("email", account.email(), "password", PASSWORD)).post("/api/v1/auth/login")
                .then().statusCode(200).extract().jsonPath();
        String phoneSession = sessionIdOf(phone.getString("access_token"));
        String thisSession = sessionIdOf(account.accessToken());

        account.as().get("/api/v1/users/me/sessions").then().statusCode(200)
                .body("", hasSize(2))
                .body("id", containsInAnyOrder(thisSession, phoneSession))
                .body("find { it.id == '" + thisSession + "' }.current", equalTo(true))
                .body("find { it.id == '" + phoneSession + "' }.current", equalTo(false))
                .body("find { it.id == '" + phoneSession + "' }.user_agent", equalTo("Phone/1.0"))
                .body("find { it.id == '" + phoneSession + "' }.client_address", equalTo("127.0.0.1"));
        me(phone.getString("access_token")).then().statusCode(200);

        account.as().delete("/api/v1/users/me/sessions/" + phoneSession).then().statusCode(204);

        me(phone.getString("access_token")).then().statusCode(401);
        json(refreshBody(phone.getString("refresh_token"))).post("/api/v1/auth/refresh").then().statusCode(401);
        account.as().get("/api/v1/users/me/sessions").then().statusCode(200).body("id", equalTo(List.of(thisSession)));
    }

    /** Generated clients accept only problem details on operations with no body: success is still 204. */
    @Test
    void operationsWithoutABodyAnswerAClientThatAcceptsOnlyProblems() {
        Api.Account account = Api.register("Accept Problems Co");
        String phone = sessionIdOf(Api.login(account.email(), PASSWORD, null).getString("access_token"));
        String problems = "application/problem+json";
        account.as().accept(problems).delete("/api/v1/users/me/sessions/" + phone).then().statusCode(204);
        ProblemDetailsChecks.assertProblem(account.as().accept(problems).delete("/api/v1/users/me/sessions/" + phone).then(),
                404, "/api/v1/users/me/sessions/" + phone);
        given().accept(problems).contentType(ContentType.JSON).body(refreshBody(account.refreshToken()))
                .post("/api/v1/auth/logout").then().statusCode(204);
    }

    @Test
    void nobodyEndsAnotherUsersSession() {
        Api.Account owner = Api.register("Own Sessions Co");
        Api.Account stranger = Api.register("Stranger Co");
        String ownerSession = sessionIdOf(owner.accessToken());

        Consumer<String> notFound = path -> ProblemDetailsChecks.assertProblem(
                stranger.as().delete(path).then(), 404, path);
        notFound.accept("/api/v1/users/me/sessions/" + ownerSession);
        notFound.accept("/api/v1/users/me/sessions/" + UUID.randomUUID());
        notFound.accept("/api/v1/users/me/sessions/not-a-session");

        me(owner.accessToken()).then().statusCode(200);
        json(refreshBody(owner.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(200);
    }
}
