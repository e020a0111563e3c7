package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static dev.gatehouse.it.TestServer.statements;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SQL statements per request, as the server's request log counts them: fixed budgets, and the same count
 * for a tenant of 1 user and one of 50 users whose admin holds 50 sessions. An authenticated request reads
 * its caller with one statement, or none once the caller cache holds it (CallerCacheChecks).
 */
abstract class StatementBudgetChecks {

    @Test
    void profileReadsAreOneStatementThenNone() {
        Api.Account account = Api.register("Budget Me Co");
        assertEquals(1, statements(account.as(), r -> r.get("/api/v1/users/me"), 200));
        assertEquals(0, statements(account.as(), r -> r.get("/api/v1/users/me"), 200));
        assertEquals(0, statements(account.as(), r -> r.get("/api/v1/auth/me"), 200));
    }

    @Test
    void aPageOfUsersIsOneStatementForAKnownCallerAndTwoForANewOne() {
        Api.Account account = Api.register("Budget List Co");
        assertEquals(2, statements(account.as(), r -> r.get("/api/v1/users?page=1&page_size=10"), 200));
        assertEquals(1, statements(account.as(), r -> r.get("/api/v1/users?page=1&page_size=10"), 200));
    }

    @Test
    void noEndpointGrowsWithUsersOrSessions() {
        Map<String, Integer> small = measure(tenantOf(1, 1));
        Map<String, Integer> large = measure(tenantOf(50, 50));
        assertEquals(small, large);
        // The budgets themselves, so a regression in both shows too. The admin's caller view is cached by then.
        assertEquals(Map.of("users/me", 0, "users page", 1, "user by id", 1, "patch user", 2, "login", 2,
                "refresh", 2, "logout", 1, "logout-all", 2, "deactivate", 4), large);
    }

    /** A tenant with this many users, whose admin has logged in this many times. */
    private static Api.Account tenantOf(int users, int sessions) {
        Api.Account admin = Api.register("Budget " + users + " Co");
        for (int i = 1; i < users; i++) {
            admin.as().contentType(ContentType.JSON)
                    .body(Map.of("email", Api.uniqueEmail("bulk"), "password", PASSWORD, "full_name", "Bulk " + i))
                    .post("/api/v1/users").then().statusCode(201);
        }
        for (int i = 1; i < sessions; i++) {
            Api.login(admin.email(), PASSWORD, null);
        }
        return admin;
    }

    private static Map<String, Integer> measure(Api.Account admin) {
        Api.Account member = Api.addUser(admin, false);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("users/me", statements(admin.as(), r -> r.get("/api/v1/users/me"), 200));
        counts.put("users page", statements(admin.as(), r -> r.get("/api/v1/users?page_size=20"), 200));
        counts.put("user by id", statements(admin.as(), r -> r.get("/api/v1/users/" + member.userId()), 200));
        counts.put("patch user", statements(admin.as().contentType(ContentType.JSON).body(Map.of("full_name", "Changed")),
                r -> r.patch("/api/v1/users/" + member.userId()), 200));
        counts.put("login", statements(json(Map.of("email", admin.email(), "password", PASSWORD)),
                r -> r.post("/api/v1/auth/login"), 200));
        counts.put("refresh", statements(json(refreshBody(admin.refreshToken())), r -> r.post("/api/v1/auth/refresh"), 200));
        counts.put("logout", statements(json(refreshBody(member.refreshToken())), r -> r.post("/api/v1/auth/logout"), 204));
        counts.put("deactivate", statements(admin.as(), r -> r.post("/api/v1/users/" + member.userId() + "/deactivate"), 200));
        counts.put("logout-all", statements(admin.as(), r -> r.post("/api/v1/auth/logout-all"), 204));
        return counts;
    }
}
