package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tenant admin endpoints: paging, changes, activation, and isolation between tenants. */
abstract class UserAdminChecks {

    @Test
    void listPagesTheTenantsUsersOnly() {
        Api.Account admin = Api.register("Paging Co");
        for (int i = 0; i < 4; i++) {
            Api.addUser(admin, false);
        }
        Api.register("Noise Co"); // another tenant's users never show

        JsonPath page1 = admin.as().queryParam("page", 1).queryParam("page_size", 2).get("/api/v1/users")
                .then().statusCode(200).body("total", equalTo(5)).body("page", equalTo(1)).body("page_size", equalTo(2))
                .body("items", hasSize(2)).extract().jsonPath();
        assertEquals(admin.userId(), page1.getString("items[0].id"), "oldest first");
        admin.as().queryParam("page", 3).queryParam("page_size", 2).get("/api/v1/users")
                .then().body("items", hasSize(1)).body("total", equalTo(5));
        admin.as().queryParam("page", 9).queryParam("page_size", 2).get("/api/v1/users")
                .then().statusCode(200).body("items", hasSize(0)).body("total", equalTo(5));
        admin.as().get("/api/v1/users").then().body("page_size", equalTo(20)).body("items.tenant_id", everyItemIs(admin.tenantId()));
    }

    private static org.hamcrest.Matcher<Iterable<? extends Object>> everyItemIs(String value) {
        return org.hamcrest.Matchers.everyItem(equalTo(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"page=0", "page=-1", "page=abc", "page_size=0", "page_size=101", "page_size=1.5"})
    void badPagingIs422(String query) {
        Api.Account admin = Api.register("Bad Paging Co");
        String field = query.substring(0, query.indexOf('='));
        ProblemDetailsChecks.assertProblem(admin.as().get("/api/v1/users?" + query).then(), 422, "/api/v1/users")
                .body("errors.field", hasItems(field));
    }

    @Test
    void nonAdminIsRefused403() {
        Api.Account admin = Api.register("Member Co");
        Api.Account member = Api.addUser(admin, false);
        ProblemDetailsChecks.assertProblem(member.as().get("/api/v1/users").then(), 403, "/api/v1/users");
        ProblemDetailsChecks.assertProblem(member.as().get("/api/v1/users/" + admin.userId()).then(), 403, "/api/v1/users/" + admin.userId());
        member.as().contentType(ContentType.JSON).body(Map.of("email", Api.uniqueEmail("x"), "password", PASSWORD, "full_name", "X"))
                .post("/api/v1/users").then().statusCode(403);
        member.as().post("/api/v1/users/" + admin.userId() + "/deactivate").then().statusCode(403);
    }

    @Test
    void adminCreatesReadsAndUpdatesAUser() {
        Api.Account admin = Api.register("Crud Co");
        Api.Account user = Api.addUser(admin, false);
        admin.as().get("/api/v1/users/" + user.userId()).then().statusCode(200)
                .body("email", equalTo(user.email())).body("is_superuser", equalTo(false)).body("tenant_id", equalTo(admin.tenantId()));
        admin.as().contentType(ContentType.JSON).body(Map.of("full_name", "Renamed"))
                .patch("/api/v1/users/" + user.userId()).then().statusCode(200).body("full_name", equalTo("Renamed"))
                .body("email", equalTo(user.email()));
    }

    @Test
    void anEmailThatHasAnAccountIs409AndWritesNothing() {
        Api.Account admin = Api.register("Dup Co");
        ProblemDetailsChecks.assertProblem(admin.as().contentType(ContentType.JSON)
                .body(Map.of("email", admin.email().toUpperCase(), "password", PASSWORD, "full_name", "Dup"))
                .post("/api/v1/users").then(), 409, "/api/v1/users");
        Api.Account other = Api.addUser(admin, false);
        admin.as().contentType(ContentType.JSON).body(Map.of("email", admin.email()))
                .patch("/api/v1/users/" + other.userId()).then().statusCode(409);
        assertEquals(2, TestDatabase.queryLong("select count(*) from memberships where tenant_id = ?::uuid", admin.tenantId()));
    }

    @Test
    void deactivationRefusesTheUsersTokensAtOnceAndActivationLetsThemLogInAgain() {
        Api.Account admin = Api.register("Deactivation Co");
        Api.Account user = Api.addUser(admin, false);
        user.as().get("/api/v1/users/me").then().statusCode(200);

        admin.as().post("/api/v1/users/" + user.userId() + "/deactivate").then().statusCode(200).body("is_active", equalTo(false));
        user.as().get("/api/v1/users/me").then().statusCode(401);
        json(refreshBody(user.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401);
        json(Map.of("email", user.email(), "password", PASSWORD)).post("/api/v1/auth/login").then().statusCode(401);

        admin.as().post("/api/v1/users/" + user.userId() + "/activate").then().statusCode(200).body("is_active", equalTo(true));
        Api.login(user.email(), PASSWORD, null);
    }

    @Test
    void anAdminCannotDeactivateThemself() {
        Api.Account admin = Api.register("Self Co");
        ProblemDetailsChecks.assertProblem(admin.as().post("/api/v1/users/" + admin.userId() + "/deactivate").then(),
                409, "/api/v1/users/" + admin.userId() + "/deactivate");
    }

    @Test
    void anotherTenantsUserIs404ForEveryOperationAndUnchanged() throws Exception {
        Api.Account tenantA = Api.register("Tenant A");
        Api.Account tenantB = Api.register("Tenant B");
        Api.Account victim = Api.addUser(tenantB, false);
        String path = "/api/v1/users/" + victim.userId();

        ProblemDetailsChecks.assertProblem(tenantA.as().get(path).then(), 404, path);
        ProblemDetailsChecks.assertProblem(tenantA.as().contentType(ContentType.JSON).body(Map.of("full_name", "Hacked"))
                .patch(path).then(), 404, path);
        ProblemDetailsChecks.assertProblem(tenantA.as().post(path + "/deactivate").then(), 404, path + "/deactivate");
        ProblemDetailsChecks.assertProblem(tenantA.as().post(path + "/activate").then(), 404, path + "/activate");

        tenantB.as().get(path).then().statusCode(200).body("full_name", equalTo("A User")).body("is_active", equalTo(true));
        victim.as().get("/api/v1/users/me").then().statusCode(200);
    }

    @Test
    void unknownAndMalformedIdsAre404() {
        Api.Account admin = Api.register("Ids Co");
        for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid", "1")) {
            ProblemDetailsChecks.assertProblem(admin.as().get("/api/v1/users/" + id).then(), 404, "/api/v1/users/" + id);
        }
    }

    @Test
    void anAccessTokenFromBeforeADeactivationStaysRefusedAfterReactivation() {
        Api.Account admin = Api.register("Reactivated Co");
        Api.Account member = Api.addUser(admin, false);
        member.as().get("/api/v1/users/me").then().statusCode(200);
        admin.as().post("/api/v1/users/" + member.userId() + "/deactivate").then().statusCode(200);
        member.as().get("/api/v1/users/me").then().statusCode(401);
        admin.as().post("/api/v1/users/" + member.userId() + "/activate").then().statusCode(200);

        ProblemDetailsChecks.assertProblem(member.as().get("/api/v1/users/me").then(), 401, "/api/v1/users/me");
        json(refreshBody(member.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401);
        String fresh = Api.login(member.email(), PASSWORD, member.tenantId()).getString("access_token");
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + fresh).get("/api/v1/users/me").then().statusCode(200);
    }

    @Test
    void twoConcurrentAddsOfOneEmailGiveOneUserAndOne409() throws Exception {
        Api.Account admin = Api.register("Race Users Co");
        String email = Api.uniqueEmail("race");
        List<io.restassured.response.Response> responses = addTwiceAtOnce(admin, email);
        assertEquals(List.of(201, 409), responses.stream().map(io.restassured.response.Response::statusCode).toList());
        responses.get(1).then().body("type", equalTo("urn:gatehouse:problem:conflict"));
        assertEquals(1, TestDatabase.queryLong("select count(*) from users where email = ?", email));
    }

    /**
     * Two POST /users of one email that both find it free and then insert: the loser's insert (password hash
     * included) fails on the unique index. The answers, by status.
     */
    static List<io.restassured.response.Response> addTwiceAtOnce(Api.Account admin, String email) throws Exception {
        java.util.concurrent.Callable<io.restassured.response.Response> add = () -> admin.as().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "full_name", "Racer"))
                .post("/api/v1/users");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<io.restassured.response.Response> a;
            java.util.concurrent.Future<io.restassured.response.Response> b;
            // both adds find the email free, then wait to insert (the test holds the users table); one after the
            // other, so that the second's password hash never waits for the first's slot (503 busy on a loaded machine)
            try (TestDatabase.HeldLock lock = TestDatabase.hold("lock table users in share mode")) {
                a = pool.submit(add);
                lock.awaitServerWaiters(1);
                b = pool.submit(add);
                lock.awaitServerWaiters(2);
            }
            List<io.restassured.response.Response> responses = new java.util.ArrayList<>(List.of(a.get(), b.get()));
            responses.sort(java.util.Comparator.comparingInt(io.restassured.response.Response::statusCode));
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }
}
