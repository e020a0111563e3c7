package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static dev.gatehouse.it.EmailVerificationChecks.assertInvalidToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Password reset end to end through the SMTP server: forgot-password answers alike for any address, the
 * mailed token sets a new password once, ends every session and proves the address; an admin may send the
 * link to a member they may change.
 */
abstract class PasswordResetChecks {

    private static final String NEW_PASSWORD = "a brand new password 42";

    private static Response forgot(String email) {
        return json(Map.of("email", email)).post("/api/v1/auth/forgot-password");
    }

    @Test
    void theMailedTokenSetsANewPasswordEndsEverySessionAndProvesTheAddress() {
        Api.Account account = Api.register("Reset Co");
        forgot(account.email()).then().statusCode(202);
        MailServer.Mail mail = MailServer.awaitMail(account.email(), "Set a new password");
        assertTrue(mail.link().contains("/account/reset-password.html#token="));

        json(Map.of("token", mail.token(), "new_password", NEW_PASSWORD)).post("/api/v1/auth/reset-password")
                .then().statusCode(204);
        account.as().get("/api/v1/users/me").then().statusCode(401); // the access token ended
        json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401);
        json(Map.of("email", account.email(), "password", PASSWORD)).post("/api/v1/auth/login").then().statusCode(401);
        Api.login(account.email(), NEW_PASSWORD, null);
        assertEquals(Boolean.TRUE, TestDatabase.queryValue("select email_verified from users where id = ?",
                UUID.fromString(account.userId())));
        assertInvalidToken("/api/v1/auth/reset-password", Map.of("token", mail.token(), "new_password", NEW_PASSWORD));
        assertEquals(1L, TestDatabase.queryLong("select count(*) from security_events where type = 'password.reset'"
                + " and subject_user_id = ?", UUID.fromString(account.userId())));
    }

    /**
     * The same body, the same SQL statements, and the same time within what a shared test machine can tell:
     * the lower quartiles of interleaved samples, where the noise of other processes weighs least. Writing the
     * token and the mail in the request (the oracle this guards against) would add statements, which the
     * statement counts show however noisy the clock.
     */
    @Test
    void forgotPasswordAnswersAlikeInBodyAndTimeWhetherOrNotTheEmailHasAnAccount() {
        Api.Account account = Api.register("Reset Enum Co");
        String known = forgot(account.email()).then().statusCode(202).extract().asString();
        String unknown = forgot(Api.uniqueEmail("nobody")).then().statusCode(202).extract().asString();
        assertEquals(known, unknown);
        assertEquals(TestServer.statements(json(Map.of("email", account.email())), r -> r.post("/api/v1/auth/forgot-password"), 202),
                TestServer.statements(json(Map.of("email", Api.uniqueEmail("nobody"))), r -> r.post("/api/v1/auth/forgot-password"), 202));
        List<Long> knownTimes = new ArrayList<>();
        List<Long> unknownTimes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            knownTimes.add(forgot(account.email()).then().statusCode(202).extract().time());
            unknownTimes.add(forgot(Api.uniqueEmail("nobody")).then().statusCode(202).extract().time());
        }
        long difference = Math.abs(lowerQuartile(knownTimes) - lowerQuartile(unknownTimes));
        assertTrue(difference < 50, "lower quartiles differ by " + difference + " ms: " + knownTimes + " / " + unknownTimes);
    }

    private static long lowerQuartile(List<Long> times) {
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 4];
    }

    @Test
    void anExpiredOrUnknownTokenIsRefusedAlikeAndChangesNothing() {
        Api.Account account = Api.register("Reset Expired Co");
        forgot(account.email()).then().statusCode(202);
        String token = MailServer.awaitMail(account.email(), "Set a new password").token();
        TestDatabase.update("update account_tokens set expires_at = now() - interval '1 second' where user_id = ?"
                + " and purpose = 'reset_password'", UUID.fromString(account.userId()));
        assertInvalidToken("/api/v1/auth/reset-password", Map.of("token", token, "new_password", NEW_PASSWORD));
        assertInvalidToken("/api/v1/auth/reset-password", Map.of("token", "A".repeat(43), "new_password", NEW_PASSWORD));
        Api.login(account.email(), PASSWORD, null);
    }

    @Test
    void twoConcurrentUsesOfOneTokenGiveOneSuccess() throws Exception {
        Api.Account account = Api.register("Reset Race Co");
        forgot(account.email()).then().statusCode(202);
        String token = MailServer.awaitMail(account.email(), "Set a new password").token();
        // all four wait at the token's row in the statement that uses it up: one takes it, three find it used
        List<Integer> statuses = Api.statusesRacingOn(
                "select 1 from account_tokens where token_hash = sha256(convert_to(?, 'UTF8')) for update", token, 4,
                () -> json(Map.of("token", token, "new_password", NEW_PASSWORD)).post("/api/v1/auth/reset-password").statusCode());
        assertEquals(List.of(204, 400, 400, 400), statuses.stream().sorted().toList());
    }

    @Test
    void anAdminSendsAMemberTheLinkButNotToSomeoneWhoHoldsMore() {
        Api.Account admin = Api.register("Reset Admin Co");
        Api.Account member = Api.addUser(admin, false);
        admin.as().post("/api/v1/users/" + member.userId() + "/send-password-reset").then().statusCode(202);
        MailServer.awaitMail(member.email(), "Set a new password");
        // a member with users:write but no other permission cannot send one to the admin, who holds more
        Api.Account writer = AccessChecks.userWith(admin, List.of("users:read", "users:write"));
        writer.as().post("/api/v1/users/" + admin.userId() + "/send-password-reset").then().statusCode(403);
        writer.as().post("/api/v1/users/" + UUID.randomUUID() + "/send-password-reset").then().statusCode(404);
        member.as().post("/api/v1/users/" + admin.userId() + "/send-password-reset").then().statusCode(403);
        Polling.sleep(500);
        assertEquals(0, MailServer.mailsTo(admin.email()).stream().filter(m -> m.subject().contains("new password")).count());
    }

    @Test
    void namesCannotInjectHeadersOrMarkup() {
        Api.Account admin = Api.register("Reset Inject Co");
        String email = Api.uniqueEmail("inject");
        admin.as().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "full_name", "<b>Eve</b> \u2028Bcc: x@evil.test"))
                .post("/api/v1/users").then().statusCode(201);
        MailServer.Mail mail = MailServer.awaitMail(email, "Confirm your email");
        assertTrue(mail.html().replace("\u200B", "").contains("&lt;b&gt;Eve&lt;/b&gt;"), mail.html()); // zero-width spaces: MailAbuseChecks
        assertTrue(Arrays.stream(mail.raw().split("\r?\n")).noneMatch(h -> h.startsWith("Bcc")), mail.raw());
    }
}
