package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/** Every error leaves as RFC 9457 application/problem+json, never HTML or a stack trace. */
abstract class ProblemDetailsChecks {

    static {
        TestServer.init();
    }

    static ValidatableResponse assertProblem(ValidatableResponse response, int status, String path) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("type", not(equalTo(null)))
                .body("title", not(equalTo(null)))
                .body("detail", not(equalTo(null)))
                .body("instance", equalTo(path))
                .body("request_id", not(equalTo(null)));
    }

    @Test
    void unknownPathIs404() {
        assertProblem(given().get("/api/v1/no-such-thing").then(), 404, "/api/v1/no-such-thing");
        // Jersey's generated WADL is off: the API description is /openapi
        assertProblem(given().get("/application.wadl").then(), 404, "/application.wadl");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        assertProblem(given().get("/api/v1/auth/login").then(), 405, "/api/v1/auth/login")
                .header("Allow", containsString("POST"));
    }

    @Test
    void wrongMediaTypeIs415() {
        assertProblem(given().contentType(ContentType.TEXT).body("email=a@b.c").post("/api/v1/auth/login").then(),
                415, "/api/v1/auth/login");
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(given().contentType(ContentType.JSON).body("{\"email\": \"a@b.c\", ").post("/api/v1/auth/login").then(),
                400, "/api/v1/auth/login");
    }

    @Test
    void jsonOfTheWrongShapeIs400() {
        assertProblem(given().contentType(ContentType.JSON).body("[1, 2]").post("/api/v1/auth/login").then(),
                400, "/api/v1/auth/login");
    }

    @Test
    void invalidFieldsAre422WithFieldErrors() {
        assertProblem(given().contentType(ContentType.JSON)
                        .body("{\"email\": \"not-an-email\", \"password\": \"short\", \"tenant_name\": \"\"}")
                        .post("/api/v1/auth/register").then(),
                422, "/api/v1/auth/register")
                .body("errors.field", hasItems("email", "password", "tenant_name"))
                .body("errors.message", not(hasItems((Object) null)));
    }

    @Test
    void unexpectedErrorIs500WithoutDetailsAndWithTheRequestId() {
        String requestId = TestServer.newRequestId();
        assertProblem(given().header("X-Request-ID", requestId).get("/test-only/failure").then(), 500, "/test-only/failure")
                .body("request_id", equalTo(requestId))
                .body("detail", not(containsString("s3cr3t")))
                .body(not(containsString("IllegalStateException")))
                .body(not(containsString("at dev.gatehouse")));
    }

    @Test
    void aUniqueViolationFromARaceIs409AndRollsBack() {
        // the resource first inserts a permission named by the marker, then violates the unique name
        String marker = java.util.UUID.randomUUID().toString();
        assertProblem(given().queryParam("marker", marker).post("/test-only/unique-violation").then(), 409, "/test-only/unique-violation")
                .body("type", equalTo("urn:gatehouse:problem:conflict"));
        org.junit.jupiter.api.Assertions.assertEquals(0,
                TestDatabase.queryLong("select count(*) from permissions where name = 'it:' || ?", marker));
    }

    @Test
    void aFailureAfterAWriteIs500AndRollsBack() {
        String marker = java.util.UUID.randomUUID().toString();
        assertProblem(given().queryParam("marker", marker).post("/test-only/write-then-fail").then(), 500, "/test-only/write-then-fail");
        org.junit.jupiter.api.Assertions.assertEquals(0,
                TestDatabase.queryLong("select count(*) from permissions where name = 'it:' || ?", marker));
    }

    @Test
    void invalidBearerTokenIs401Problem() {
        assertProblem(given().header("Authorization", "Bearer not.a.token").get("/api/v1/users/me").then(),
                401, "/api/v1/users/me")
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void missingTokenIs401Problem() {
        assertProblem(given().get("/api/v1/auth/me").then(), 401, "/api/v1/auth/me");
    }
}
