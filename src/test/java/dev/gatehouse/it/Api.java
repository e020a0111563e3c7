package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Small helpers over REST Assured for the calls most tests make. */
final class Api {

    static final String PASSWORD = "correct horse battery staple";

    /** A registered tenant admin: their tenant, user id and a fresh token pair. */
    record Account(String email, String userId, String tenantId, String accessToken, String refreshToken) {
        RequestSpecification as() {
            return given().header("Authorization", "Bearer " + accessToken);
        }
    }

    private Api() {
    }

    static {
        TestServer.init();
    }

    static String uniqueEmail(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /**
     * {@code times} concurrent calls that all wait inside the server's deciding statement: the test holds the
     * row that statement locks ({@code lockSql}, a select ... for update) until every call waits for it, so
     * the calls overlap for certain. Their HTTP statuses, in no particular order.
     */
    static List<Integer> statusesRacingOn(String lockSql, Object lockParameter, int times, Callable<Integer> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(times);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            try (TestDatabase.HeldLock row = TestDatabase.hold(lockSql, lockParameter)) {
                for (int i = 0; i < times; i++) {
                    calls.add(pool.submit(call));
                }
                row.awaitServerWaiters(times);
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> done : calls) {
                statuses.add(done.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    static RequestSpecification json(Object body) {
        return given().contentType(ContentType.JSON).body(body);
    }

    static Account register(String tenantName) {
        String email = uniqueEmail("admin");
        JsonPath body = json(Map.of("email", email, "password", PASSWORD, "full_name", "Admin of " + tenantName,
                "tenant_name", tenantName))
                .post("/api/v1/auth/register").then().statusCode(201).extract().jsonPath();
        return new Account(email, body.getString("user.id"), body.getString("user.tenant_id"),
                body.getString("access_token"), body.getString("refresh_token"));
    }

    /** A user added by a tenant admin, logged in. */
    static Account addUser(Account admin, boolean superuser) {
        String email = uniqueEmail("user");
        JsonPath created = admin.as().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "full_name", "A User", "is_superuser", superuser))
                .post("/api/v1/users").then().statusCode(201).extract().jsonPath();
        JsonPath tokens = login(email, PASSWORD, created.getString("tenant_id"));
        return new Account(email, created.getString("id"), created.getString("tenant_id"),
                tokens.getString("access_token"), tokens.getString("refresh_token"));
    }

    /**
     * A superuser of the tenant that administers the deployment (gatehouse.jwt.key-admin-tenant: "key-admins" in
     * the test run), signed in afresh: the one the first caller registered, whichever group of tests that was.
     */
    static synchronized Account deploymentAdmin() {
        if (TestDatabase.queryLong("select count(*) from tenants where slug = 'key-admins'") == 0) {
            Account registered = register("Key Admins");
            assertEquals("key-admins", TestDatabase.queryValue("select slug from tenants where id = ?::uuid", registered.tenantId()));
            return registered;
        }
        String email = (String) TestDatabase.queryValue("""
                select u.email from users u join memberships m on m.user_id = u.id join tenants t on t.id = m.tenant_id
                where t.slug = 'key-admins' and m.is_superuser order by m.created_at limit 1""");
        JsonPath tokens = login(email, PASSWORD, "key-admins");
        return new Account(email, String.valueOf(TestDatabase.queryValue("select id from users where email = ?", email)),
                tokens.getString("tenant.id"), tokens.getString("access_token"), tokens.getString("refresh_token"));
    }

    static JsonPath login(String email, String password, String tenant) {
        Map<String, Object> body = tenant == null
                ? Map.of("email", email, "password", password)
                : Map.of("email", email, "password", password, "tenant", tenant);
        return json(body).post("/api/v1/auth/login").then().statusCode(200).extract().jsonPath();
    }

    static Map<String, String> refreshBody(String refreshToken) {
        return Map.of("refresh_token", refreshToken);
    }
}
