package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Polling;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operations endpoints: health (readiness follows the database), OpenAPI and metrics. */
abstract class OperationsChecks {

    static {
        TestServer.init();
    }

    @Test
    void liveAndOpenApiAndMetricsAnswer() {
        given().get("/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().accept("application/json").get("/openapi").then().statusCode(200)
                .body("info.title", equalTo("Gatehouse"))
                .body("paths.keySet()", hasItems("/api/v1/auth/login", "/api/v1/users/me", "/api/v1/roles"));
        given().get("/metrics").then().statusCode(200);
    }

    /**
     * The pool gauges are listed. On Payara Micro 7.2025.1 / JDK 25 Payara's monitoring does not run, so they
     * answer NaN (no figures) rather than a false 0; a number must at least count the LISTEN connection.
     */
    @Test
    void poolGaugesAreListedAndNeverAFalseZero() {
        String metrics = given().accept("text/plain").get("/metrics").then().statusCode(200).extract().asString();
        for (String gauge : List.of("gatehouse_pool_in_use", "gatehouse_pool_free", "gatehouse_pool_wait_queue", "gatehouse_pool_wait_time_ms")) {
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith(gauge + "{")), gauge + " in /metrics:\n" + metrics);
        }
        String inUse = metrics.lines().filter(l -> l.startsWith("gatehouse_pool_in_use{")).findFirst().orElseThrow();
        double value = Double.parseDouble(inUse.substring(inUse.lastIndexOf(' ') + 1));
        assertTrue(Double.isNaN(value) || value >= 1, inUse);
    }

    @Test
    void readyWithTheDatabase() {
        given().get("/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("database"));
    }

    @Test
    void notReadyWithoutTheDatabaseAndReadyAgainWhenItReturns() throws Exception {
        EmbeddedDatabaseExtension.stop();
        try {
            given().get("/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        } finally {
            EmbeddedDatabaseExtension.start(false);
        }
        Polling.awaitTrue(Duration.ofSeconds(30), "ready again after the database came back",
                () -> given().get("/health/ready").statusCode() == 200);
    }
}
