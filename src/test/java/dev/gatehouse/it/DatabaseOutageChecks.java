package dev.gatehouse.it;

import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.ProblemDetailsChecks.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, section 5: while PostgreSQL is down, every endpoint that needs it answers 503 problem+json with
 * Retry-After (not 500), and everything works again once it is back, without a restart. Stops and restarts
 * the embedded database, so it runs after the other groups but Operations (GatehouseIT orders them).
 */
abstract class DatabaseOutageChecks {

    static {
        TestServer.init();
    }

    @Test
    void withoutTheDatabaseEndpointsAnswer503WithRetryAfterAndRecoverWhenItReturns() throws Exception {
        // Prepared while the database is up. The token has never been used, so no cache holds its caller.
        Api.Account account = Api.register("Outage");
        String loginRefresh = Api.login(account.email(), Api.PASSWORD, null).getString("refresh_token");

        EmbeddedDatabaseExtension.stop();
        try {
            assertDatabaseUnavailable(account.as().get("/api/v1/users/me").then(), "/api/v1/users/me");
            assertDatabaseUnavailable(json(Map.of("email", account.email(), "password", Api.PASSWORD))
                    .post("/api/v1/auth/login").then(), "/api/v1/auth/login");
            assertDatabaseUnavailable(json(Api.refreshBody(account.refreshToken()))
                    .post("/api/v1/auth/refresh").then(), "/api/v1/auth/refresh");
            assertDatabaseUnavailable(json(Map.of("email", Api.uniqueEmail("outage"), "password", Api.PASSWORD,
                    "full_name", "Nobody", "tenant_name", "Nowhere")).post("/api/v1/auth/register").then(),
                    "/api/v1/auth/register");
        } finally {
            EmbeddedDatabaseExtension.start(false);
        }

        Polling.awaitTrue(Duration.ofSeconds(30), "ready again after the database came back",
                () -> given().get("/health/ready").statusCode() == 200);
        account.as().get("/api/v1/users/me").then().statusCode(200).body("email", equalTo(account.email()));
        Api.login(account.email(), Api.PASSWORD, null);
        // Both refresh tokens are still live: the refused refresh rotated nothing.
        json(Api.refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(200);
        json(Api.refreshBody(loginRefresh)).post("/api/v1/auth/refresh").then().statusCode(200);
    }

    /**
     * A caller cached before the outage is still served while the database cannot be reached, for the
     * outage grace only (10 s in the tests, GATEHOUSE_CALLER_CACHE_OUTAGE_GRACE_SECONDS in pom.xml), then 503;
     * a caller not cached is 503 at once. A change made while the cache's listener was away applies as soon
     * as the database is back.
     */
    @Test
    void aCachedCallerIsServedThroughAnOutageForTheGraceOnly() throws Exception {
        Api.Account cached = Api.register("Outage Grace");
        Api.Account uncached = Api.register("Outage Grace Uncached");
        Polling.awaitTrue(Duration.ofSeconds(10), "the caller is cached",
                () -> TestServer.statements(cached.as(), r -> r.get("/api/v1/users/me"), 200) == 0);

        EmbeddedDatabaseExtension.stop();
        try {
            cached.as().get("/api/v1/users/me").then().statusCode(200).body("id", equalTo(cached.userId()));
            assertDatabaseUnavailable(uncached.as().get("/api/v1/users/me").then(), "/api/v1/users/me");
            Polling.awaitTrue(Duration.ofSeconds(40), Duration.ofMillis(500), "the grace ends",
                    () -> cached.as().get("/api/v1/users/me").statusCode() == 503);
        } finally {
            EmbeddedDatabaseExtension.start(false);
        }
        // made before the cache's listener is back (it retries every second): a change it cannot hear of
        TestDatabase.update("update users set is_active = false where id = ?::uuid", cached.userId());
        Polling.awaitTrue(Duration.ofSeconds(30), "ready again", () -> given().get("/health/ready").statusCode() == 200);
        cached.as().get("/api/v1/users/me").then().statusCode(401);
        uncached.as().get("/api/v1/users/me").then().statusCode(200);
    }

    private static void assertDatabaseUnavailable(ValidatableResponse response, String path) {
        assertProblem(response, 503, path)
                .body("type", equalTo("urn:gatehouse:problem:database-unavailable"));
        String retryAfter = response.extract().header("Retry-After");
        assertTrue(retryAfter != null && retryAfter.matches("[1-9][0-9]*"), "Retry-After in seconds: " + retryAfter);
        assertEquals("no-store", response.extract().header("Cache-Control"));
    }
}
