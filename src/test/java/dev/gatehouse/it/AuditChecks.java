package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/**
 * The security event log: an event for each security-relevant change, in the change's transaction, with
 * who, what, from where and which request; the log line beside it; the audit API; retention.
 */
abstract class AuditChecks {

    private static final Pattern DELETED_EVENTS = Pattern.compile("Retention: deleted (\\d+) security event");

    /** The newest event of this type in the admin's tenant, through the API. */
    private static JsonPath newest(Api.Account admin, String type) {
        return admin.as().queryParam("type", type).queryParam("page_size", 1).get("/api/v1/audit-events")
                .then().statusCode(200).body("total", greaterThan(0)).extract().jsonPath();
    }

    /** Runs the request with this request id and returns the id, to find its event. */
    private static String withRequestId(Consumer<String> call) {
        String requestId = TestServer.newRequestId();
        call.accept(requestId);
        return requestId;
    }

    @Test
    void adminChangesToUsersAreRecordedWithActorSubjectAndRequest() {
        Api.Account admin = Api.register("Audit Users Co");
        String email = Api.uniqueEmail("audited");
        String created = withRequestId(id -> admin.as().header("X-Request-ID", id).header("User-Agent", "audit-test/1.0")
                .contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD, "full_name", "Audited"))
                .post("/api/v1/users").then().statusCode(201));
        JsonPath event = newest(admin, "user.created");
        String userId = event.getString("items[0].subject_user_id");
        assertEquals(created, event.getString("items[0].request_id"));
        assertEquals(admin.userId(), event.getString("items[0].actor_user_id"));
        assertEquals(admin.tenantId(), event.getString("items[0].tenant_id"));
        assertEquals("success", event.getString("items[0].outcome"));
        assertEquals("audit-test/1.0", event.getString("items[0].user_agent"));
        assertEquals(email, event.getString("items[0].details.email"));
        assertTrue(event.getString("items[0].actor_address").contains("127.0.0.1")
                || event.getString("items[0].actor_address").contains("0:0:0:0:0:0:0:1"), event.prettify());

        admin.as().contentType(ContentType.JSON).body(Map.of("full_name", "Renamed")).patch("/api/v1/users/" + userId)
                .then().statusCode(200);
        assertEquals(List.of("full_name"), newest(admin, "user.changed").getList("items[0].details.fields"));
        admin.as().post("/api/v1/users/" + userId + "/deactivate").then().statusCode(200);
        assertEquals(userId, newest(admin, "user.deactivated").getString("items[0].subject_user_id"));
        admin.as().post("/api/v1/users/" + userId + "/activate").then().statusCode(200);
        assertEquals(userId, newest(admin, "user.activated").getString("items[0].subject_user_id"));

        Api.Account superuser = Api.addUser(admin, true);
        assertEquals(superuser.userId(), newest(admin, "superuser.granted").getString("items[0].subject_user_id"));
    }

    @Test
    void roleChangesAreRecorded() {
        Api.Account admin = Api.register("Audit Roles Co");
        String roleId = AccessChecks.createRole(admin, "auditors", List.of("users:read"));
        JsonPath created = newest(admin, "role.created");
        assertEquals(roleId, created.getString("items[0].subject_role_id"));
        assertEquals(List.of("users:read"), created.getList("items[0].details.permissions"));

        admin.as().contentType(ContentType.JSON).body(Map.of("permissions", List.of("users:read", "roles:read")))
                .put("/api/v1/roles/" + roleId + "/permissions").then().statusCode(200);
        assertEquals(List.of("roles:read", "users:read"), newest(admin, "role.changed").getList("items[0].details.permissions"));

        Api.Account member = Api.addUser(admin, false);
        AccessChecks.assignRoles(admin, member.userId(), roleId);
        JsonPath assigned = newest(admin, "roles.assigned");
        assertEquals(member.userId(), assigned.getString("items[0].subject_user_id"));
        assertEquals(List.of("auditors"), assigned.getList("items[0].details.roles"));

        admin.as().delete("/api/v1/roles/" + roleId).then().statusCode(204);
        assertEquals(roleId, newest(admin, "role.deleted").getString("items[0].subject_role_id"));
    }

    @Test
    void sessionEndingsAndPasswordChangesAreRecorded() {
        Api.Account admin = Api.register("Audit Sessions Co");
        JsonPath otherSession = Api.login(admin.email(), PASSWORD, null); // the admin's first session reads the log
        json(refreshBody(otherSession.getString("refresh_token"))).post("/api/v1/auth/logout").then().statusCode(204);
        JsonPath logout = newest(admin, "logout");
        assertEquals(admin.userId(), logout.getString("items[0].actor_user_id"));
        assertEquals(TestTokens.claimsOf(otherSession.getString("access_token")).getString("sid"),
                logout.getString("items[0].details.session_id"));

        Api.Account user = Api.addUser(admin, false);
        String rotatedOut = user.refreshToken();
        json(refreshBody(rotatedOut)).post("/api/v1/auth/refresh").then().statusCode(200);
        AuthChecks.afterReuseInterval(rotatedOut); // within it, a retry would get the same successor
        json(refreshBody(rotatedOut)).post("/api/v1/auth/refresh").then().statusCode(401);
        JsonPath reuse = newest(admin, "refresh.reuse_detected");
        assertEquals(user.userId(), reuse.getString("items[0].subject_user_id"));
        assertNull(reuse.getString("items[0].actor_user_id"), "whoever presented the token is anonymous");
        assertEquals("failure", reuse.getString("items[0].outcome"));

        JsonPath fresh = Api.login(user.email(), PASSWORD, null);
        Api.Account again = new Api.Account(user.email(), user.userId(), user.tenantId(), fresh.getString("access_token"),
                fresh.getString("refresh_token"));
        String session = TestTokens.claimsOf(again.accessToken()).getString("sid");
        again.as().delete("/api/v1/users/me/sessions/" + session).then().statusCode(204);
        assertEquals(session, newest(admin, "session.revoked").getString("items[0].details.session_id"));

        JsonPath second = Api.login(user.email(), PASSWORD, null);
        String newPassword = "another long passphrase";
        RestAssured.given().header("Authorization", "Bearer " + second.getString("access_token"))
                .contentType(ContentType.JSON).body(Map.of("current_password", PASSWORD, "new_password", newPassword))
                .post("/api/v1/users/me/password").then().statusCode(204);
        JsonPath changed = newest(admin, "password.changed");
        assertEquals(user.userId(), changed.getString("items[0].subject_user_id"));
        assertFalse(changed.prettify().contains(newPassword));
        assertTrue(TestServer.serverLogLines().noneMatch(line -> line.contains(newPassword)), "no password in the log");

        JsonPath third = Api.login(user.email(), newPassword, null);
        RestAssured.given().header("Authorization", "Bearer " + third.getString("access_token"))
                .post("/api/v1/auth/logout-all").then().statusCode(204);
        assertEquals(user.userId(), newest(admin, "logout.all").getString("items[0].subject_user_id"));
    }

    @Test
    void registrationRecordsTheNewTenantAndItsFirstUser() {
        Api.Account admin = Api.register("Audit Register Co");
        assertEquals(admin.userId(), newest(admin, "tenant.created").getString("items[0].actor_user_id"));
        JsonPath user = newest(admin, "user.created");
        assertEquals(admin.userId(), user.getString("items[0].subject_user_id"));
        assertEquals("registration", user.getString("items[0].details.method"));
    }

    @Test
    void eachCommittedEventIsAlsoOneJsonLogLine() {
        Api.Account admin = Api.register("Audit Log Co");
        String roleId = AccessChecks.createRole(admin, "logged", List.of());
        String eventId = newest(admin, "role.created").getString("items[0].id");
        JsonObject line = Polling.awaitPresent(Duration.ofSeconds(10), Duration.ofMillis(100), "the event's log line",
                () -> TestServer.serverLogLines().filter(l -> l.contains("{\"id\":\"" + eventId + "\"")).findFirst()
                        .map(l -> Json.createReader(new StringReader(l.substring(l.indexOf("{\"id\":"), l.lastIndexOf('}') + 1)))
                                .readObject()));
        assertEquals("role.created", line.getString("type"));
        assertEquals(roleId, line.getString("subject_role_id"));
        assertEquals(admin.tenantId(), line.getString("tenant_id"));
    }

    @Test
    void anEventGoesWithItsTransaction() {
        String marker = "rolled-back-" + UUID.randomUUID();
        RestAssured.given().queryParam("marker", marker).post("/test-only/event-then-fail")
                .then().statusCode(500);
        assertEquals(0, TestDatabase.queryLong("select count(*) from security_events where details->>'marker' = ?", marker));
        // a later event that commits: once its line is in the log, a line written for the rolled-back one would be too
        Api.Account admin = Api.register("Audit Rollback Co");
        AccessChecks.createRole(admin, "after-the-rollback", List.of());
        String later = newest(admin, "role.created").getString("items[0].id");
        Polling.awaitTrue(Duration.ofSeconds(10), Duration.ofMillis(100), "the later event's log line",
                () -> TestServer.serverLogLines().anyMatch(l -> l.contains("{\"id\":\"" + later + "\"")));
        assertTrue(TestServer.serverLogLines().noneMatch(line -> line.contains(marker) && line.contains("\"type\"")),
                "no log line for an event whose transaction rolled back");
    }

    @Test
    void theApiNeedsAuditReadAndShowsOnlyTheCallersTenant() {
        Api.Account admin = Api.register("Audit Perm Co");
        Api.Account member = Api.addUser(admin, false);
        member.as().get("/api/v1/audit-events").then().statusCode(403);
        RestAssured.given().get("/api/v1/audit-events").then().statusCode(401);
        Api.Account auditor = AccessChecks.userWith(admin, List.of("audit:read"));
        auditor.as().get("/api/v1/audit-events").then().statusCode(200)
                .body("items.tenant_id", everyItem(equalTo(admin.tenantId())))
                .body("items.type", hasItem("user.created"));

        Api.Account other = Api.register("Audit Other Co");
        // the other tenant's admin asks about this tenant's user: nothing
        other.as().queryParam("user_id", member.userId()).get("/api/v1/audit-events").then().statusCode(200)
                .body("total", equalTo(0));
        other.as().get("/api/v1/audit-events").then().statusCode(200)
                .body("items.tenant_id", everyItem(equalTo(other.tenantId())));
    }

    @Test
    void filtersPagesAndRefusesBadParameters() {
        Api.Account admin = Api.register("Audit Filter Co");
        List<String> users = List.of(Api.addUser(admin, false).userId(), Api.addUser(admin, false).userId(),
                Api.addUser(admin, false).userId());
        JsonPath page = admin.as().queryParam("type", "user.created").queryParam("page_size", 2)
                .get("/api/v1/audit-events").then().statusCode(200).extract().jsonPath();
        assertEquals(4, page.getInt("total"), "three added users and the registered admin");
        assertEquals(List.of(users.get(2), users.get(1)), page.getList("items.subject_user_id"), "newest first");
        assertEquals(List.of(users.get(0), admin.userId()), admin.as().queryParam("type", "user.created")
                .queryParam("page_size", 2).queryParam("page", 2).get("/api/v1/audit-events").then().statusCode(200)
                .extract().jsonPath().getList("items.subject_user_id"));
        admin.as().queryParam("type", "user.created").queryParam("page", 9).get("/api/v1/audit-events").then()
                .statusCode(200).body("items.size()", equalTo(0)).body("total", equalTo(4));

        admin.as().queryParam("user_id", users.get(1)).get("/api/v1/audit-events").then().statusCode(200)
                .body("items.subject_user_id", everyItem(equalTo(users.get(1))));
        String firstAdded = admin.as().queryParam("user_id", users.get(0)).queryParam("type", "user.created")
                .get("/api/v1/audit-events").then().statusCode(200).extract().path("items[0].occurred_at");
        admin.as().queryParam("type", "user.created").queryParam("from", firstAdded)
                .get("/api/v1/audit-events").then().statusCode(200).body("total", equalTo(3));
        admin.as().queryParam("type", "user.created").queryParam("to", firstAdded)
                .get("/api/v1/audit-events").then().statusCode(200).body("total", equalTo(1));

        for (Map.Entry<String, String> bad : Map.of("type", "no.such.type", "user_id", "not-a-uuid",
                "from", "yesterday", "to", "2026-13-01T00:00:00Z", "page_size", "101").entrySet()) {
            admin.as().queryParam(bad.getKey(), bad.getValue()).get("/api/v1/audit-events").then().statusCode(422)
                    .contentType("application/problem+json").body("errors.field", hasItem(bad.getKey()));
        }
    }

    /** The types of the events written about this user (as subject or actor), read from the table. */
    private static List<String> eventTypesOf(String userId) {
        List<String> types = new java.util.ArrayList<>();
        try (java.sql.Connection db = TestDatabase.connection();
             java.sql.PreparedStatement query = db.prepareStatement("select type from security_events"
                     + " where subject_user_id = ?::uuid or actor_user_id = ?::uuid")) {
            query.setString(1, userId);
            query.setString(2, userId);
            try (java.sql.ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getString(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return types;
    }

    /** Enrolment, a recovery code's sign-in, new recovery codes, disabling, the tenant policy: each its event. */
    @Test
    void theMfaChangesWriteTheirEvents() {
        Api.Account admin = Api.register("Audit Mfa Co");
        MfaChecks.Enrolled enrolled = MfaChecks.enrol(admin);
        String ticket = MfaChecks.passwordStep(admin.email(), PASSWORD).getString("mfa_ticket");
        json(Map.of("mfa_ticket", ticket, "recovery_code", enrolled.recoveryCodes().getFirst()))
                .post("/api/v1/auth/mfa/verify").then().statusCode(200);
        admin.as().contentType(ContentType.JSON).body(Map.of("code", enrolled.nextCode()))
                .post("/api/v1/users/me/mfa/recovery-codes").then().statusCode(200);
        Api.Account other = Api.addUser(admin, false); // a second enrolment: one code per step and account
        MfaChecks.Enrolled second = MfaChecks.enrol(other);
        other.as().contentType(ContentType.JSON).body(Map.of("password", PASSWORD, "code", second.nextCode()))
                .post("/api/v1/users/me/mfa/totp/disable").then().statusCode(204);
        admin.as().contentType(ContentType.JSON).body(Map.of("require_all", false, "required_permissions", List.of("roles:manage")))
                .put("/api/v1/tenant/mfa-policy").then().statusCode(200);

        assertTrue(eventTypesOf(admin.userId()).containsAll(List.of("mfa.policy_changed", "mfa.enrolled",
                "mfa.recovery_code_used", "mfa.recovery_codes_regenerated")), eventTypesOf(admin.userId()).toString());
        assertTrue(eventTypesOf(other.userId()).containsAll(List.of("mfa.enrolled", "mfa.disabled")),
                eventTypesOf(other.userId()).toString());
    }

    /** An invitation made, revoked, another accepted; a password reset asked for and done; an OAuth account made. */
    @Test
    void theInvitationResetAndOAuthFlowsWriteTheirEvents() throws Exception {
        Api.Account admin = Api.register("Audit Flows Co");
        String revoked = InvitationChecks.invite(admin, Api.uniqueEmail("revoked"), List.of()).getString("id");
        admin.as().delete("/api/v1/invitations/" + revoked).then().statusCode(204);
        String invited = Api.uniqueEmail("invited");
        InvitationChecks.invite(admin, invited, List.of());
        String joined = json(Map.of("token", InvitationChecks.invitationToken(invited), "password", PASSWORD, "full_name", "Invited"))
                .post("/api/v1/invitations/accept").then().statusCode(201).extract().path("user.id");
        assertTrue(eventTypesOf(admin.userId()).containsAll(List.of("invitation.created", "invitation.revoked",
                "email.verification_sent")), eventTypesOf(admin.userId()).toString());
        assertTrue(eventTypesOf(joined).contains("invitation.accepted"), eventTypesOf(joined).toString());

        json(Map.of("email", admin.email())).post("/api/v1/auth/forgot-password").then().statusCode(202);
        String token = MailServer.awaitMail(admin.email(), "Set a new password").token();
        json(Map.of("token", token, "new_password", "another long passphrase")).post("/api/v1/auth/reset-password")
                .then().statusCode(204);
        assertTrue(eventTypesOf(admin.userId()).containsAll(List.of("password.reset_requested", "password.reset")),
                eventTypesOf(admin.userId()).toString());

        OAuthChecks.Person person = OAuthChecks.Person.fresh(true);
        String userId = OAuthChecks.subjectOf(OAuthChecks.signIn(given(), "fakeoidc", person)
                .then().statusCode(200).extract().path("access_token"));
        assertTrue(eventTypesOf(userId).contains("oauth.identity_linked"), eventTypesOf(userId).toString());
    }

    /**
     * Both instances run the retention job on the same rows: old ones go, the rest stay, neither fails, and
     * each deletes a share. The test writes the old events while holding the table, until both instances'
     * deletions wait for it, so both start at once; each logs what it deleted.
     */
    @Test
    void retentionDeletesOldEventsAndExpiredTokensWithTwoInstances() throws Exception {
        try (SecondServer second = SecondServer.start()) {
            Api.Account admin = Api.register("Audit Retention Co");
            String marker = "retention-" + UUID.randomUUID();
            long deletedBefore = deletedEvents(TestServer.serverLogLines());
            // more than two batches of 5,000, written under the lock: neither instance sees them before both wait
            try (TestDatabase.HeldLock table = TestDatabase.hold(("""
                    lock table security_events in share mode;
                    insert into security_events (id, tenant_id, occurred_at, type, outcome, details)
                    select gen_random_uuid(), '%1$s'::uuid, now() - interval '500 days' - g * interval '1 second', 'logout',
                           'success', jsonb_build_object('marker', '%2$s')
                    from generate_series(1, 12000) g;
                    insert into security_events (id, tenant_id, occurred_at, type, outcome, details)
                    values (gen_random_uuid(), '%1$s'::uuid, now() - interval '300 days', 'logout', 'success',
                            jsonb_build_object('marker', '%2$s'))""").formatted(admin.tenantId(), marker))) {
                table.awaitServerWaiters(2, "delete from security_events");
                table.commit(); // the old events appear to both at once
            }
            TestDatabase.update("update refresh_tokens set expires_at = now() - interval '1 minute' where user_id = ?::uuid",
                    admin.userId());
            Polling.awaitTrue(Duration.ofSeconds(60), "old events and expired tokens deleted", () ->
                    TestDatabase.queryLong("select count(*) from security_events where details->>'marker' = ?", marker) == 1
                            && TestDatabase.queryLong("select count(*) from refresh_tokens where user_id = ?::uuid",
                            admin.userId()) == 0);
            // each instance logs its run's deletions at the end of the run
            Polling.awaitTrue(Duration.ofSeconds(30), "the instances' logs account for the 12,000 deletions", () ->
                    deletedEvents(TestServer.serverLogLines()) - deletedBefore + deletedEvents(second.output().lines()) == 12000);
            long bySecond = deletedEvents(second.output().lines());
            assertTrue(bySecond > 0 && bySecond < 12000, "both took part: the second instance deleted " + bySecond);
            assertEquals(1, TestDatabase.queryLong("select count(*) from security_events where details->>'marker' = ?", marker),
                    "the event younger than the retention stays");
            assertFalse(second.output().contains("Retention run failed"), second.output());
            assertTrue(TestServer.serverLogLines().noneMatch(l -> l.contains("Retention run failed")));
        }
    }

    /** The security events an instance's retention runs say they deleted, over its log. */
    private static long deletedEvents(Stream<String> log) {
        return log.map(DELETED_EVENTS::matcher).filter(Matcher::find).mapToLong(m -> Long.parseLong(m.group(1))).sum();
    }
}
