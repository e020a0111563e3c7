package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.EmailVerificationChecks.assertInvalidToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Invitations end to end through the SMTP server: an admin invites an address with roles they may hand out,
 * the invitee accepts with the mailed token (a new account, or an existing one by its password), admins list
 * and revoke pending invitations, and expired, revoked or used invitations get the one bad-token answer.
 */
abstract class InvitationChecks {

    static JsonPath invite(Api.Account admin, String email, List<String> roleIds) {
        return admin.as().contentType(ContentType.JSON).body(Map.of("email", email, "role_ids", roleIds))
                .post("/api/v1/invitations").then().statusCode(201).extract().jsonPath();
    }

    static String invitationToken(String email) {
        return MailServer.awaitMail(email, "invited you").token();
    }

    private static Map<String, String> acceptance(String token, String password) {
        return Map.of("token", token, "password", password, "full_name", "Invited Person");
    }

    @Test
    void aNewPersonAcceptsWithAPasswordAndBecomesAMemberWithTheRoles() {
        Api.Account admin = Api.register("Invite Co");
        String viewer = AccessChecks.createRole(admin, "viewers", List.of("users:read"));
        String email = Api.uniqueEmail("invitee");
        JsonPath invitation = invite(admin, email, List.of(viewer));
        assertEquals(List.of(viewer), invitation.getList("role_ids"));
        admin.as().get("/api/v1/invitations").then().statusCode(200)
                .body("items.id", contains(invitation.getString("id")));
        MailServer.Mail mail = MailServer.awaitMail(email, "invited you");
        assertTrue(mail.subject().contains("Invite Co"), mail.subject());
        assertTrue(mail.link().contains("/account/accept-invitation.html#token="));

        JsonPath accepted = json(acceptance(mail.token(), PASSWORD)).post("/api/v1/invitations/accept")
                .then().statusCode(201)
                .body("user.email", equalTo(email)).body("user.email_verified", equalTo(true))
                .body("tenant.id", equalTo(admin.tenantId())).extract().jsonPath();
        Api.Account member = new Api.Account(email, accepted.getString("user.id"), admin.tenantId(),
                accepted.getString("access_token"), accepted.getString("refresh_token"));
        member.as().get("/api/v1/users").then().statusCode(200); // users:read from the role
        member.as().post("/api/v1/users/" + admin.userId() + "/deactivate").then().statusCode(403);
        admin.as().get("/api/v1/invitations").then().statusCode(200).body("items", hasSize(0));
        assertInvalidToken("/api/v1/invitations/accept", acceptance(mail.token(), PASSWORD)); // used
        Api.login(email, PASSWORD, admin.tenantId());
    }

    @Test
    void anExistingAccountAcceptsWithItsOwnPasswordOnly() {
        Api.Account admin = Api.register("Invite Existing Co");
        Api.Account other = Api.register("Invite Other Co");
        invite(admin, other.email(), List.of());
        String token = invitationToken(other.email());
        ProblemDetailsChecks.assertProblem(json(acceptance(token, "not the password at all")).post("/api/v1/invitations/accept")
                .then(), 401, "/api/v1/invitations/accept");
        json(acceptance(token, PASSWORD)).post("/api/v1/invitations/accept").then().statusCode(201)
                .body("user.id", equalTo(other.userId())).body("tenant.id", equalTo(admin.tenantId()));
        Api.login(other.email(), PASSWORD, admin.tenantId());
        invite(admin, Api.uniqueEmail("again"), List.of());
        ProblemDetailsChecks.assertProblem(admin.as().contentType(ContentType.JSON)
                .body(Map.of("email", other.email(), "role_ids", List.of())).post("/api/v1/invitations").then(),
                409, "/api/v1/invitations").body("type", equalTo("urn:gatehouse:problem:already-member"));
    }

    @Test
    void nobodyInvitesWithARoleThatHoldsMoreThanTheyDo() {
        Api.Account admin = Api.register("Invite Escalation Co");
        String adminRole = AccessChecks.roleId(admin, "admin");
        Api.Account inviter = AccessChecks.userWith(admin, List.of("users:read", "users:write", "roles:manage", "roles:read"));
        ProblemDetailsChecks.assertProblem(inviter.as().contentType(ContentType.JSON)
                .body(Map.of("email", Api.uniqueEmail("escalate"), "role_ids", List.of(adminRole)))
                .post("/api/v1/invitations").then(), 403, "/api/v1/invitations");
        Api.Account writerOnly = AccessChecks.userWith(admin, List.of("users:read", "users:write"));
        String viewer = AccessChecks.createRole(admin, "viewers", List.of("users:read"));
        writerOnly.as().contentType(ContentType.JSON)
                .body(Map.of("email", Api.uniqueEmail("norole"), "role_ids", List.of(viewer)))
                .post("/api/v1/invitations").then().statusCode(403); // roles:manage to hand out roles
        invite(writerOnly, Api.uniqueEmail("plain"), List.of());
        admin.as().contentType(ContentType.JSON)
                .body(Map.of("email", Api.uniqueEmail("unknown-role"), "role_ids", List.of(UUID.randomUUID().toString())))
                .post("/api/v1/invitations").then().statusCode(404);
    }

    @Test
    void revokedAndExpiredInvitationsAreRefusedLikeBadTokens() {
        Api.Account admin = Api.register("Invite Revoke Co");
        String revokedEmail = Api.uniqueEmail("revoked");
        String id = invite(admin, revokedEmail, List.of()).getString("id");
        String revokedToken = invitationToken(revokedEmail);
        admin.as().delete("/api/v1/invitations/" + id).then().statusCode(204);
        admin.as().delete("/api/v1/invitations/" + id).then().statusCode(404);
        admin.as().delete("/api/v1/invitations/not-a-uuid").then().statusCode(404);
        assertInvalidToken("/api/v1/invitations/accept", acceptance(revokedToken, PASSWORD));

        String expiredEmail = Api.uniqueEmail("expired");
        String expiredId = invite(admin, expiredEmail, List.of()).getString("id");
        String expiredToken = invitationToken(expiredEmail);
        TestDatabase.update("update invitations set expires_at = now() - interval '1 second' where id = ?",
                UUID.fromString(expiredId));
        assertInvalidToken("/api/v1/invitations/accept", acceptance(expiredToken, PASSWORD));
        assertInvalidToken("/api/v1/invitations/accept", acceptance("B".repeat(43), PASSWORD));
        admin.as().get("/api/v1/invitations").then().statusCode(200).body("items", hasSize(0));
        // another tenant's admin sees and revokes none of them
        Api.Account stranger = Api.register("Invite Stranger Co");
        String pending = invite(admin, Api.uniqueEmail("pending"), List.of()).getString("id");
        stranger.as().delete("/api/v1/invitations/" + pending).then().statusCode(404);
        stranger.as().get("/api/v1/invitations").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void twoConcurrentAcceptancesGiveOneMembership() throws Exception {
        Api.Account admin = Api.register("Invite Race Co");
        String email = Api.uniqueEmail("race");
        invite(admin, email, List.of());
        String token = invitationToken(email);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> uses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            uses.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return json(acceptance(token, PASSWORD)).post("/api/v1/invitations/accept").statusCode();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> use : uses) {
            statuses.add(use.get());
        }
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(1L, TestDatabase.queryLong("select count(*) from users where lower(email) = ?", email));
    }
}
