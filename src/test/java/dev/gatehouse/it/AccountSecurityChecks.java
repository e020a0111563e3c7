package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static dev.gatehouse.it.EmailVerificationChecks.assertInvalidToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An account is the person's (issue 28): a tenant admin changes account-wide things (MFA, the lockout, a reset
 * mail, name and email) only of an account their tenant alone holds; every credential change ends the artefacts
 * made before it (reset links, pending email changes, MFA tickets, sessions of any of a family's tokens); every
 * check of a secret is counted, per email and address, before it runs; and a signed-in person learns nothing
 * about other people's addresses from an email change.
 */
abstract class AccountSecurityChecks {

    private static final String NEW_PASSWORD = "a brand new password 42";
    private static final String THROTTLED = "urn:gatehouse:problem:login-throttled";
    private static final int THRESHOLD = 5;

    /** The superuser of one tenant, invited into another, whose owner so becomes an admin over a shared account. */
    private record SharedAccount(Api.Account owner, Api.Account otherTenantsAdmin) {
    }

    private static SharedAccount sharedAccount(String name) {
        Api.Account owner = Api.register(name + " Home");
        Api.Account other = Api.register(name + " Other");
        InvitationChecks.invite(other, owner.email(), List.of());
        json(Map.of("token", InvitationChecks.invitationToken(owner.email()), "password", PASSWORD))
                .post("/api/v1/invitations/accept").then().statusCode(201);
        return new SharedAccount(owner, other);
    }

    private static long events(String tenantId, String userId, String type) {
        return TestDatabase.queryLong("select count(*) from security_events where tenant_id = ?::uuid"
                + " and subject_user_id = ?::uuid and type = ?", tenantId, userId, type);
    }

    @Test
    void anAdminOfAnotherTenantCannotTouchASharedAccountsCredentials() {
        SharedAccount shared = sharedAccount("Shared Credentials");
        MfaChecks.enrol(shared.owner());
        String id = shared.owner().userId();
        Api.Account admin = shared.otherTenantsAdmin();
        admin.as().get("/api/v1/users/" + id).then().statusCode(200); // the membership is theirs to see

        for (Response refused : List.of(admin.as().post("/api/v1/users/" + id + "/mfa/reset"),
                admin.as().get("/api/v1/users/" + id + "/lockout"),
                admin.as().delete("/api/v1/users/" + id + "/lockout"),
                admin.as().post("/api/v1/users/" + id + "/send-password-reset"))) {
            refused.then().statusCode(409).contentType("application/problem+json")
                    .body("type", equalTo("urn:gatehouse:problem:account-shared"));
        }
        assertEquals(1, TestDatabase.queryLong(
                "select count(*) from mfa_totp where user_id = ?::uuid and confirmed_at is not null", id));
        assertTrue(MfaChecks.passwordStep(shared.owner().email(), PASSWORD).getBoolean("mfa_required"),
                "the second factor stays on");
        assertEquals(0, TestDatabase.queryLong("select count(*) from account_tokens where user_id = ?::uuid"
                + " and purpose = 'reset_password'", id));

        // the person changes their own password: each tenant's log shows it
        shared.owner().as().contentType(ContentType.JSON)
                .body(Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD))
                .post("/api/v1/users/me/password").then().statusCode(204);
        assertEquals(1, events(shared.owner().tenantId(), id, "password.changed"));
        assertEquals(1, events(admin.tenantId(), id, "password.changed"));
        assertTrue(MfaChecks.passwordStep(shared.owner().email(), NEW_PASSWORD).getBoolean("mfa_required"));
    }

    @Test
    void theTenantThatAloneHoldsAnAccountResetsItsMfaAndThatEndsItsSessions() {
        Api.Account admin = Api.register("Sole Tenant Reset Co");
        Api.Account member = Api.addUser(admin, false);
        MfaChecks.enrol(member);
        admin.as().post("/api/v1/users/" + member.userId() + "/mfa/reset").then().statusCode(204);
        member.as().get("/api/v1/users/me").then().statusCode(401);
        json(refreshBody(member.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401);
        assertEquals(1, events(admin.tenantId(), member.userId(), "mfa.reset"));
    }

    @Test
    void aPasswordResetEndsAPendingEmailChange() {
        Api.Account owner = Api.register("Pending Change Co");
        String attackersAddress = Api.uniqueEmail("attacker");
        owner.as().contentType(ContentType.JSON).body(Map.of("email", attackersAddress, "current_password", PASSWORD))
                .patch("/api/v1/users/me").then().statusCode(200);
        String change = MailServer.awaitMail(attackersAddress, "Confirm your new email").token();

        json(Map.of("email", owner.email())).post("/api/v1/auth/forgot-password").then().statusCode(202);
        String reset = MailServer.awaitMail(owner.email(), "Set a new password").token();
        json(Map.of("token", reset, "new_password", NEW_PASSWORD)).post("/api/v1/auth/reset-password").then().statusCode(204);

        assertInvalidToken("/api/v1/auth/verify-email", Map.of("token", change));
        assertEquals(owner.email(), TestDatabase.queryValue("select email from users where id = ?::uuid",
                UUID.fromString(owner.userId())));
        Api.login(owner.email(), NEW_PASSWORD, null);
    }

    @Test
    void aResetLinkMailedBeforeAPasswordChangeSetsNothingAfterIt() {
        Api.Account owner = Api.register("Stale Reset Co");
        json(Map.of("email", owner.email())).post("/api/v1/auth/forgot-password").then().statusCode(202);
        String reset = MailServer.awaitMail(owner.email(), "Set a new password").token();
        owner.as().contentType(ContentType.JSON).body(Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD))
                .post("/api/v1/users/me/password").then().statusCode(204);

        assertInvalidToken("/api/v1/auth/reset-password", Map.of("token", reset, "new_password", "the attacker's password"));
        Api.login(owner.email(), NEW_PASSWORD, null);
    }

    @Test
    void anMfaTicketFromBeforeAPasswordChangeGivesNoSession() {
        MfaChecks.Enrolled user = MfaChecks.enrol(Api.register("Stale Ticket Co"));
        String ticket = MfaChecks.passwordStep(user.account().email(), PASSWORD).getString("mfa_ticket");
        user.account().as().contentType(ContentType.JSON)
                .body(Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD))
                .post("/api/v1/users/me/password").then().statusCode(204);

        json(Map.of("mfa_ticket", ticket, "code", user.nextCode())).post("/api/v1/auth/mfa/verify").then().statusCode(400)
                .body("type", equalTo("urn:gatehouse:problem:invalid-mfa-ticket"));
        assertEquals(0, TestDatabase.queryLong("select count(*) from refresh_tokens where user_id = ?::uuid"
                + " and revoked_at is null", UUID.fromString(user.account().userId())));
    }

    @Test
    void logoutWithARotatedOutTokenEndsTheSession() {
        Api.Account account = Api.register("Rotated Logout Co");
        String successor = json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(200)
                .extract().path("refresh_token");
        json(refreshBody(account.refreshToken())).post("/api/v1/auth/logout").then().statusCode(204);

        json(refreshBody(successor)).post("/api/v1/auth/refresh").then().statusCode(401);
        assertEquals(0, TestDatabase.queryLong("select count(*) from refresh_tokens where user_id = ?::uuid"
                + " and revoked_at is null", UUID.fromString(account.userId())));
    }

    /**
     * At the threshold, of parallel wrong attempts one is checked and the others wait: the count is claimed
     * under a row lock before the hash, so they cannot all read the count below the threshold. The test holds
     * the email's row until all four requests wait at the database, so they do overlap.
     */
    @Test
    void parallelGuessesAtTheThresholdGetOneCheck() throws Exception {
        Api.Account account = Api.register("Parallel Guess Co");
        String email = account.email().toLowerCase();
        for (int i = 0; i < THRESHOLD - 1; i++) {
            json(Map.of("email", account.email(), "password", "not the password")).post("/api/v1/auth/login")
                    .then().statusCode(401);
        }
        List<Integer> statuses = new ArrayList<>(Api.statusesRacingOn("select 1 from login_failures where email = ? for update",
                email, 4, () -> json(Map.of("email", account.email(), "password", "not the password"))
                        .post("/api/v1/auth/login").statusCode()));
        Collections.sort(statuses);
        assertEquals(List.of(401, 429, 429, 429), statuses);
        assertEquals(THRESHOLD, TestDatabase.queryLong("select sum(failures) from login_failures where email = ?", email));
    }

    @Test
    void currentPasswordChecksAreCountedLikeLogins() {
        Api.Account account = Api.register("Counted Current Co");
        for (int i = 0; i < THRESHOLD; i++) {
            account.as().contentType(ContentType.JSON).body(Map.of("current_password", "a wrong guess " + i,
                    "new_password", NEW_PASSWORD)).post("/api/v1/users/me/password").then().statusCode(400);
        }
        account.as().contentType(ContentType.JSON).body(Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD))
                .post("/api/v1/users/me/password").then().statusCode(429).body("type", equalTo(THROTTLED));
        json(Map.of("email", account.email(), "password", PASSWORD)).post("/api/v1/auth/login")
                .then().statusCode(429).body("type", equalTo(THROTTLED));
        assertEquals(THRESHOLD, TestDatabase.queryLong("select count(*) from security_events where subject_user_id = ?::uuid"
                + " and type = 'password.check_failed'", account.userId()));
        endWait(account.email());
        Api.login(account.email(), PASSWORD, null); // the password never changed
    }

    /** Login after an expired wait is allowed: ends the wait in the database rather than sleeping it out. */
    private static void endWait(String email) {
        TestDatabase.update("update login_failures set locked_until = now() - interval '1 millisecond' where email = ?",
                email.toLowerCase());
    }

    @Test
    void invitationAcceptanceWithAPasswordIsCounted() {
        Api.Account admin = Api.register("Counted Invitation Co");
        Api.Account invitee = Api.register("Counted Invitee Co");
        InvitationChecks.invite(admin, invitee.email(), List.of());
        String token = InvitationChecks.invitationToken(invitee.email());
        for (int i = 0; i < THRESHOLD; i++) {
            json(Map.of("token", token, "password", "a wrong guess " + i)).post("/api/v1/invitations/accept")
                    .then().statusCode(401);
        }
        json(Map.of("token", token, "password", PASSWORD)).post("/api/v1/invitations/accept")
                .then().statusCode(429).body("type", equalTo(THROTTLED));
        endWait(invitee.email());
        json(Map.of("token", token, "password", PASSWORD)).post("/api/v1/invitations/accept").then().statusCode(201);
    }

    @Test
    void anEmailChangeAnswersAlikeForTakenAndFreeAddresses() {
        Api.Account account = Api.register("Oracle Co");
        Api.Account other = Api.register("Oracle Other Co");
        String free = Api.uniqueEmail("free");
        for (String address : List.of(other.email(), free)) {
            account.as().contentType(ContentType.JSON).body(Map.of("email", address)).patch("/api/v1/users/me")
                    .then().statusCode(422);
            account.as().contentType(ContentType.JSON).body(Map.of("email", address, "current_password", PASSWORD))
                    .patch("/api/v1/users/me").then().statusCode(200).body("email", equalTo(account.email()));
        }
        MailServer.awaitMail(free, "Confirm your new email");
        MailServer.awaitMail(other.email(), "named for another account"); // the owner learns of it, the requester not
        assertEquals(0, TestDatabase.queryLong("select count(*) from account_tokens where email = ?"
                + " and purpose = 'change_email'", other.email()));
    }

    @Test
    void turningMfaOnNeedsARecentSignIn() {
        Api.Account account = Api.register("Fresh Sign In Co");
        // the session signed in an hour ago: its next access token says so
        TestDatabase.update("update refresh_tokens set session_started_at = session_started_at - interval '1 hour'"
                + " where user_id = ?::uuid", UUID.fromString(account.userId()));
        JsonPath stale = json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(200)
                .extract().jsonPath();
        given().header("Authorization", "Bearer " + stale.getString("access_token")).post("/api/v1/users/me/mfa/totp")
                .then().statusCode(403).body("type", equalTo("urn:gatehouse:problem:reauthentication-required"));
        assertEquals(0, TestDatabase.queryLong("select count(*) from mfa_totp where user_id = ?::uuid",
                UUID.fromString(account.userId())));
        MfaChecks.enrol(new Api.Account(account.email(), account.userId(), account.tenantId(),
                Api.login(account.email(), PASSWORD, null).getString("access_token"), null));
    }
}
