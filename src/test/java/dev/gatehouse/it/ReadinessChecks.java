package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** /health/ready follows the database: 200 UP while it answers, 503 DOWN while it does not. */
abstract class ReadinessChecks {

    static {
        TestServer.init();
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
        awaitReady(Duration.ofSeconds(30));
    }

    private static void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (given().get("/health/ready").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready again " + timeout + " after the database came back");
            }
            TestServer.sleep(250);
        }
    }
}
