package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.EmailVerificationChecks.assertInvalidToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Invitations end to end through the SMTP server: an admin invites an address with roles they may hand out,
 * the invitee accepts with the mailed token (a new account, an existing one by its password and second factor,
 * or an OAuth identity whose provider verified the address), admins list and revoke pending invitations (only
 * those they could have made), and expired, revoked or used invitations get the one bad-token answer.
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
    void anInviteeAcceptsWithAnOAuthIdentityWhoseProviderVerifiedTheAddress() throws Exception {
        Api.Account admin = Api.register("Invite OAuth Co");
        String viewer = AccessChecks.createRole(admin, "viewers", List.of("users:read"));
        String email = Api.uniqueEmail("oauth-invitee");
        String invitationId = invite(admin, email, List.of(viewer)).getString("id");
        String token = invitationToken(email);
        String subject = "sub-" + UUID.randomUUID();

        // another address, and the invited one unverified by the provider: refused, the invitation stays pending
        for (OAuthChecks.Person wrong : List.of(new OAuthChecks.Person(subject, Api.uniqueEmail("other"), true),
                new OAuthChecks.Person(subject, email, false))) {
            OAuthChecks.Flow flow = authorizeAccepting(token);
            OAuthChecks.assertRefusedWithNothingWritten(() -> OAuthChecks.callback(given(), flow,
                    OAuthChecks.consent(flow, wrong, Map.of())), 403, "invitation-email-mismatch");
        }
        admin.as().get("/api/v1/invitations").then().statusCode(200).body("items.id", contains(invitationId));

        OAuthChecks.Person invitee = new OAuthChecks.Person(subject, email, true);
        OAuthChecks.Flow flow = authorizeAccepting(token);
        JsonPath session = OAuthChecks.callback(given(), flow, OAuthChecks.consent(flow, invitee, Map.of()))
                .then().statusCode(200).body("tenant.id", equalTo(admin.tenantId()))
                .body("tenants.id", contains(admin.tenantId())).extract().jsonPath();
        Api.Account member = new Api.Account(email, null, admin.tenantId(), session.getString("access_token"),
                session.getString("refresh_token"));
        member.as().get("/api/v1/users").then().statusCode(200); // users:read from the invitation's role
        member.as().get("/api/v1/users/me").then().statusCode(200).body("email", equalTo(email))
                .body("email_verified", equalTo(true)).body("oauth_provider", equalTo("fakeoidc"));
        assertEquals(1L, TestDatabase.queryLong("""
                select count(*) from memberships m join users u on u.id = m.user_id where u.email = ?""", email),
                "a member of the inviting tenant only: no tenant of their own");
        admin.as().get("/api/v1/invitations").then().statusCode(200).body("items", hasSize(0));

        // used up: a second flow with the same invitation is refused
        OAuthChecks.Flow again = authorizeAccepting(token);
        OAuthChecks.assertRefusedWithNothingWritten(() -> OAuthChecks.callback(given(), again,
                OAuthChecks.consent(again, invitee, Map.of())), 400, "invalid-token");
        // the account has no password: changing its email or password says how to get one
        ProblemDetailsChecks.assertProblem(member.as().contentType(ContentType.JSON)
                .body(Map.of("email", Api.uniqueEmail("moved"), "current_password", PASSWORD))
                .patch("/api/v1/users/me").then(), 409, "/api/v1/users/me")
                .body("type", equalTo("urn:gatehouse:problem:password-not-set"));
        ProblemDetailsChecks.assertProblem(member.as().contentType(ContentType.JSON)
                .body(Map.of("current_password", PASSWORD, "new_password", PASSWORD + " new"))
                .post("/api/v1/users/me/password").then(), 409, "/api/v1/users/me/password")
                .body("type", equalTo("urn:gatehouse:problem:password-not-set"));
    }

    private static OAuthChecks.Flow authorizeAccepting(String invitationToken) {
        return OAuthChecks.authorize(given().header("X-Invitation-Token", invitationToken), "fakeoidc");
    }

    @Test
    void anAccountWithMfaOnAcceptsButSignsInOnlyWithItsSecondFactor() {
        Api.Account admin = Api.register("Invite Mfa Co");
        MfaChecks.Enrolled other = MfaChecks.enrol(Api.register("Invite Mfa Other Co"));
        String email = other.account().email();
        invite(admin, email, List.of());
        JsonPath accepted = json(acceptance(invitationToken(email), PASSWORD)).post("/api/v1/invitations/accept")
                .then().statusCode(201).body("user.id", equalTo(other.account().userId()))
                .body("tenant.id", equalTo(admin.tenantId())).body("mfa_required", equalTo(true))
                .body("mfa_enrolment_required", equalTo(false)).extract().jsonPath();
        assertNull(accepted.getString("access_token"), "no session before the second factor");
        json(Map.of("mfa_ticket", accepted.getString("mfa_ticket"), "code", other.nextCode()))
                .post("/api/v1/auth/mfa/verify").then().statusCode(200)
                .body("tenant.id", equalTo(admin.tenantId()));
    }

    @Test
    void onlyWhoCouldHaveMadeAnInvitationRevokesIt() {
        Api.Account admin = Api.register("Invite Revoke Powers Co");
        String adminRole = AccessChecks.roleId(admin, "admin");
        String forAdmin = invite(admin, Api.uniqueEmail("future-admin"), List.of(adminRole)).getString("id");
        String plain = invite(admin, Api.uniqueEmail("plain"), List.of()).getString("id");
        Api.Account helpdesk = AccessChecks.userWith(admin, List.of("users:read", "users:write"));
        ProblemDetailsChecks.assertProblem(helpdesk.as().delete("/api/v1/invitations/" + forAdmin).then(), 403,
                "/api/v1/invitations/" + forAdmin).body("type", equalTo("urn:gatehouse:problem:privilege-escalation"));
        helpdesk.as().delete("/api/v1/invitations/" + plain).then().statusCode(204);
        admin.as().get("/api/v1/invitations").then().statusCode(200).body("items.id", contains(forAdmin));
        admin.as().delete("/api/v1/invitations/" + forAdmin).then().statusCode(204);
    }

    @Test
    void twoConcurrentAcceptancesGiveOneMembership() throws Exception {
        Api.Account admin = Api.register("Invite Race Co");
        String email = Api.uniqueEmail("race");
        invite(admin, email, List.of());
        String token = invitationToken(email);
        // all four wait at the invitation's row in the statement that uses it up: one takes it, three find it used
        List<Integer> statuses = Api.statusesRacingOn(
                "select 1 from invitations where token_hash = sha256(convert_to(?, 'UTF8')) for update", token, 4,
                () -> json(acceptance(token, PASSWORD)).post("/api/v1/invitations/accept").statusCode());
        assertEquals(List.of(201, 400, 400, 400), statuses.stream().sorted().toList());
        assertEquals(1L, TestDatabase.queryLong("select count(*) from users where lower(email) = ?", email));
    }
}
