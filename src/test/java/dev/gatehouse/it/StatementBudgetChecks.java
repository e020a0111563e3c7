package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static dev.gatehouse.it.TestServer.statements;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.Polling;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
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
        awaitCached(account);
        assertEquals(0, statements(account.as(), r -> r.get("/api/v1/users/me"), 200));
        assertEquals(0, statements(account.as(), r -> r.get("/api/v1/auth/me"), 200));
    }

    @Test
    void aPageOfUsersIsOneStatementForAKnownCallerAndTwoForANewOne() {
        Api.Account account = Api.register("Budget List Co");
        assertEquals(2, statements(account.as(), r -> r.get("/api/v1/users?page=1&page_size=10"), 200));
        awaitCached(account);
        assertEquals(1, statements(account.as(), r -> r.get("/api/v1/users?page=1&page_size=10"), 200));
    }

    @Test
    void noEndpointGrowsWithUsersOrSessions() {
        Map<String, Integer> small = measure(tenantOf(1, 1));
        Map<String, Integer> large = measure(tenantOf(50, 50));
        assertEquals(small, large);
        // The budgets themselves, so a regression in both shows too. The admin's caller view is cached by then.
        // A change that writes a security event has one statement more: the event's insert.
        assertEquals(Map.ofEntries(Map.entry("users/me", 0), Map.entry("users page", 1), Map.entry("user by id", 1),
                Map.entry("patch user", 3), Map.entry("login", 5), Map.entry("refresh", 2), Map.entry("refresh retried", 2),
                Map.entry("refresh reused", 4), Map.entry("logout", 2),
                Map.entry("sessions", 1), Map.entry("end session", 2), Map.entry("logout-all", 3),
                Map.entry("deactivate", 5), Map.entry("audit events page", 1)), large);
    }

    /** The endpoints of the flows by email (docs/integrating.md, "Email and account flows"), each with a cached caller. */
    @Test
    void theMailFlowsHoldTheirBudgets() {
        Api.Account admin = Api.register("Budget Mail Co");
        Api.Account member = Api.addUser(admin, false);
        awaitCached(admin);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("forgot-password", statements(json(Map.of("email", member.email())), r -> r.post("/api/v1/auth/forgot-password"), 202));
        counts.put("forgot-password unknown", statements(json(Map.of("email", Api.uniqueEmail("nobody"))),
                r -> r.post("/api/v1/auth/forgot-password"), 202));
        String reset = MailServer.awaitMail(member.email(), "Set a new password").token();
        counts.put("reset-password", statements(json(Map.of("token", reset, "new_password", PASSWORD + " new")),
                r -> r.post("/api/v1/auth/reset-password"), 204));
        counts.put("resend", statements(admin.as(), r -> r.post("/api/v1/auth/verify-email/resend"), 202));
        String verify = MailServer.awaitMail(admin.email(), "Confirm your email", 2).token();
        counts.put("verify-email", statements(json(Map.of("token", verify)), r -> r.post("/api/v1/auth/verify-email"), 204));
        awaitCached(admin);
        counts.put("send-password-reset", statements(admin.as(), r -> r.post("/api/v1/users/" + member.userId()
                + "/send-password-reset"), 202));
        counts.put("change email", statements(admin.as().contentType(ContentType.JSON)
                .body(Map.of("email", Api.uniqueEmail("budget-new"), "current_password", PASSWORD)),
                r -> r.patch("/api/v1/users/me"), 200));
        awaitCached(admin);
        String viewer = AccessChecks.createRole(admin, "budget viewers", java.util.List.of("users:read"));
        awaitCached(admin);
        String invitee = Api.uniqueEmail("budget-invitee");
        counts.put("invite", statements(admin.as().contentType(ContentType.JSON)
                .body(Map.of("email", invitee, "role_ids", java.util.List.of(viewer))), r -> r.post("/api/v1/invitations"), 201));
        counts.put("invitations", statements(admin.as(), r -> r.get("/api/v1/invitations"), 200));
        String token = MailServer.awaitMail(invitee, "invited you").token();
        counts.put("accept", statements(json(Map.of("token", token, "password", PASSWORD, "full_name", "Budget Invitee")),
                r -> r.post("/api/v1/invitations/accept"), 201));
        String revoked = admin.as().contentType(ContentType.JSON).body(Map.of("email", Api.uniqueEmail("budget-revoked")))
                .post("/api/v1/invitations").then().statusCode(201).extract().path("id");
        awaitCached(admin);
        counts.put("revoke", statements(admin.as(), r -> r.delete("/api/v1/invitations/" + revoked), 204));
        assertEquals(Map.ofEntries(Map.entry("forgot-password", 2), Map.entry("forgot-password unknown", 2),
                Map.entry("reset-password", 7), Map.entry("resend", 6), Map.entry("verify-email", 4),
                Map.entry("send-password-reset", 6), Map.entry("change email", 10), Map.entry("invite", 9),
                Map.entry("invitations", 1), Map.entry("accept", 11), Map.entry("revoke", 3)), counts);
    }

    /**
     * Introspection (RFC 7662) by a resource server that authenticates with its client secret: the client's
     * authentication is what the client-credentials grant's is (the attempt claimed, the credential read, the
     * claim forgotten; no event), the token's caller comes from the caller cache as an API request's would: read
     * once for a caller not seen yet, then none.
     */
    @Test
    void anIntrospectionIsTheClientsAuthenticationAndNothingMoreOnceTheCallerIsCached() {
        ServiceAccountChecks.Machine resourceServer = ServiceAccountChecks.machine("Budget Introspection Co");
        Api.Account admin = resourceServer.admin();
        awaitCached(admin);
        Api.Account member = Api.addUser(admin, false);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("uncached caller", statements(introspection(resourceServer, member.accessToken()),
                r -> r.post(IntrospectionChecks.INTROSPECTION_ENDPOINT), 200));
        counts.put("cached caller", statements(introspection(resourceServer, member.accessToken()),
                r -> r.post(IntrospectionChecks.INTROSPECTION_ENDPOINT), 200));
        counts.put("cached, again", statements(introspection(resourceServer, admin.accessToken()),
                r -> r.post(IntrospectionChecks.INTROSPECTION_ENDPOINT), 200));
        counts.put("garbage", statements(introspection(resourceServer, "garbage"),
                r -> r.post(IntrospectionChecks.INTROSPECTION_ENDPOINT), 200));
        assertEquals(Map.of("uncached caller", 4, "cached caller", 3, "cached, again", 3, "garbage", 3), counts);
    }

    private static RequestSpecification introspection(ServiceAccountChecks.Machine client, String token) {
        return given().auth().preemptive().basic(client.id(), client.secret())
                .contentType(ContentType.URLENC).formParam("token", token);
    }

    /**
     * Registration's role assignment notifies every instance after its commit; that notification can evict
     * the caller a request cached right after it. Wait until the caller stays cached.
     */
    static void awaitCached(Api.Account account) {
        Polling.awaitTrue(Duration.ofSeconds(10), "the caller stays cached",
                () -> statements(account.as(), r -> r.get("/api/v1/users/me"), 200) == 0);
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
        Api.Account spareUser = Api.addUser(admin, false);
        awaitCached(admin);
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("users/me", statements(admin.as(), r -> r.get("/api/v1/users/me"), 200));
        counts.put("users page", statements(admin.as(), r -> r.get("/api/v1/users?page_size=20"), 200));
        counts.put("user by id", statements(admin.as(), r -> r.get("/api/v1/users/" + member.userId()), 200));
        counts.put("patch user", statements(admin.as().contentType(ContentType.JSON).body(Map.of("full_name", "Changed")),
                r -> r.patch("/api/v1/users/" + member.userId()), 200));
        counts.put("login", statements(json(Map.of("email", admin.email(), "password", PASSWORD)),
                r -> r.post("/api/v1/auth/login"), 200));
        counts.put("refresh", statements(json(refreshBody(admin.refreshToken())), r -> r.post("/api/v1/auth/refresh"), 200));
        // Another user's session, which the reuse ends (and so evicts that user's cached caller, not the admin's).
        // A rotated-out token again within the reuse interval: the failed rotation, then the successor's lookup;
        // after it, the same two and the family's revocation.
        String spare = spareUser.refreshToken();
        json(refreshBody(spare)).post("/api/v1/auth/refresh").then().statusCode(200);
        counts.put("refresh retried", statements(json(refreshBody(spare)), r -> r.post("/api/v1/auth/refresh"), 200));
        AuthChecks.afterReuseInterval(spare);
        counts.put("refresh reused", statements(json(refreshBody(spare)), r -> r.post("/api/v1/auth/refresh"), 401));
        counts.put("logout", statements(json(refreshBody(member.refreshToken())), r -> r.post("/api/v1/auth/logout"), 204));
        counts.put("sessions", statements(admin.as(), r -> r.get("/api/v1/users/me/sessions"), 200));
        counts.put("audit events page", statements(admin.as(), r -> r.get("/api/v1/audit-events?page_size=20"), 200));
        counts.put("deactivate", statements(admin.as(), r -> r.post("/api/v1/users/" + member.userId() + "/deactivate"), 200));
        // a user with a second session ends it (their caller is cached by their first request)
        Api.Account other = Api.addUser(admin, false);
        String otherSession = TestTokens.claimsOf(Api.login(other.email(), PASSWORD, null).getString("access_token")).getString("sid");
        other.as().get("/api/v1/users/me").then().statusCode(200);
        counts.put("end session", statements(other.as(), r -> r.delete("/api/v1/users/me/sessions/" + otherSession), 204));
        counts.put("logout-all", statements(admin.as(), r -> r.post("/api/v1/auth/logout-all"), 204));
        return counts;
    }
}
