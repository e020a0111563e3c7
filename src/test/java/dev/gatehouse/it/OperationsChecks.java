package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import dev.gatehouse.testing.Polling;
import java.time.Duration;
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
