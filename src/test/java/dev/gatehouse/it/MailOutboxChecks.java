package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The transactional outbox: a request that writes a mail succeeds while the SMTP server is down, and the
 * mail goes out once it is back; two instances share the outbox without sending a mail twice. The second
 * instance also runs with gatehouse.login.require-verified-email on, which every way into an account obeys.
 */
abstract class MailOutboxChecks {

    @Test
    void anSmtpOutageDelaysTheMailButNotTheRequest() {
        MailServer.stop();
        Api.Account account;
        try {
            account = Api.register("Outage Co"); // 201 with no SMTP server
            UUID userId = UUID.fromString(account.userId());
            Polling.awaitTrue(Duration.ofSeconds(20), "a failed attempt recorded on the outbox row",
                    () -> TestDatabase.queryLong("select count(*) from mail_outbox where recipient = ? and attempts > 0"
                            + " and last_error is not null", account.email()) == 1);
            assertEquals(1L, TestDatabase.queryLong("select count(*) from account_tokens where user_id = ?", userId));
        } finally {
            MailServer.start();
        }
        MailServer.awaitMail(account.email(), "Confirm your email");
        Polling.awaitTrue(Duration.ofSeconds(10), "the sent mail's row is gone",
                () -> TestDatabase.queryLong("select count(*) from mail_outbox where recipient = ?", account.email()) == 0);
    }

    /**
     * An instance started without GATEHOUSE_MAIL_HOST says so at boot and leaves the outbox alone: its mails
     * keep their attempts, and a configured instance (the first) sends them.
     */
    @Test
    void anInstanceWithoutMailSettingsSaysSoAndLeavesTheMailsToOthers() throws Exception {
        try (SecondServer unconfigured = SecondServer.start(Map.of("GATEHOUSE_MAIL_HOST", ""))) {
            Polling.awaitTrue(Duration.ofSeconds(20), "the boot's report of the missing mail settings",
                    () -> unconfigured.output().contains("Mail is not configured: the mail resource mail/gatehouse has"));
            String email = Api.uniqueEmail("unconfigured");
            RestAssured.given().baseUri(unconfigured.baseUri()).contentType(ContentType.JSON)
                    .body(Map.of("email", email, "password", PASSWORD, "full_name", "Waiting", "tenant_name", "Unconfigured Co"))
                    .post("/api/v1/auth/register").then().statusCode(201);
            MailServer.awaitMail(email, "Confirm your email"); // the configured instance sent it
            assertFalse(unconfigured.output().contains("not sent (attempt"), unconfigured.output());
            assertFalse(unconfigured.output().contains("mail.smtp.password"), "no secret's setting is named");
        }
    }

    /** A mail given up on stays a week for the operator, then retention deletes it (and the link in it). */
    @Test
    void retentionDeletesMailsGivenUpOnAWeekAgo() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // given up 8 days ago, given up yesterday, still being retried after 8 days (next try far off)
        Object[][] rows = {{"old-given-up", 12, "8 days"}, {"new-given-up", 12, "1 day"}, {"old-retrying", 3, "8 days"}};
        for (Object[] row : rows) {
            TestDatabase.update("""
                    insert into mail_outbox (id, recipient, subject, text_body, html_body, created_at, attempts,
                                             next_attempt_at, last_error)
                    values (?, ?, 'Given up', 'text', '<p>html</p>', now() - cast(? as interval), ?,
                            now() + interval '1 day', 'refused')""",
                    UUID.randomUUID(), row[0] + "-" + run + "@example.com", row[2], row[1]);
        }
        Polling.awaitTrue(Duration.ofSeconds(20), "the mail given up on a week ago deleted",
                () -> TestDatabase.queryLong("select count(*) from mail_outbox where recipient = ?",
                        "old-given-up-" + run + "@example.com") == 0);
        for (String kept : List.of("new-given-up", "old-retrying")) {
            assertEquals(1L, TestDatabase.queryLong("select count(*) from mail_outbox where recipient = ?",
                    kept + "-" + run + "@example.com"), kept);
        }
        TestDatabase.update("delete from mail_outbox where recipient like ?", "%-" + run + "@example.com");
    }

    /**
     * Both instances send from one outbox, none twice. Each instance claims 20 due mails at a time, one claim at
     * a time: the test makes 40 mails due while holding the table, until both instances' claims wait for it,
     * so both claim at once. The second instance sends from another address, which tells who sent what.
     */
    @Test
    void twoInstancesShareTheOutboxWithoutSendingTwice() throws Exception {
        String secondFrom = "second-instance@gatehouse.test";
        try (SecondServer second = SecondServer.start(Map.of("GATEHOUSE_LOGIN_REQUIRE_VERIFIED_EMAIL", "true",
                "GATEHOUSE_MAIL_FROM", secondFrom))) {
            List<String> recipients = new ArrayList<>();
            String run = UUID.randomUUID().toString().substring(0, 8);
            String subject = "Shared outbox " + run;
            for (int i = 0; i < 40; i++) {
                String recipient = "outbox-" + run + "-" + i + "@example.com";
                recipients.add(recipient);
                TestDatabase.update("""
                        insert into mail_outbox (id, recipient, subject, text_body, html_body, created_at, next_attempt_at)
                        values (?, ?, ?, 'text', '<p>html</p>', now(), now() + interval '1 hour')""",
                        UUID.randomUUID(), recipient, subject);
            }
            try (TestDatabase.HeldLock table = TestDatabase.hold("lock table mail_outbox in share mode;"
                    + " update mail_outbox set next_attempt_at = now() where subject = '" + subject + "'")) {
                table.awaitServerWaiters(2, "update mail_outbox o set attempts");
                table.commit(); // the mails become due to both at once
            }
            long fromSecond = recipients.stream().map(recipient -> MailServer.awaitMail(recipient, subject))
                    .filter(mail -> mail.raw().contains("From: " + secondFrom)).count();
            assertTrue(fromSecond > 0 && fromSecond < 40, "both instances sent: " + fromSecond + " of 40 from the second");
            // a mail made due after those: once it arrived, a second copy of any of them would have too
            String marker = "outbox-" + run + "-marker@example.com";
            TestDatabase.update("""
                    insert into mail_outbox (id, recipient, subject, text_body, html_body, created_at, next_attempt_at)
                    values (?, ?, ?, 'text', '<p>html</p>', now(), now())""", UUID.randomUUID(), marker, subject);
            MailServer.awaitMail(marker, subject);
            for (String recipient : recipients) {
                assertEquals(1, MailServer.mailsTo(recipient).size(), recipient);
            }

            // gatehouse.login.require-verified-email on the second instance: unverified fails like a wrong password
            String base = second.baseUri();
            String email = Api.uniqueEmail("must-verify");
            RestAssured.given().baseUri(base).contentType(ContentType.JSON)
                    .body(Map.of("email", email, "password", PASSWORD, "full_name", "Verifier", "tenant_name", "Verify First Co"))
                    .post("/api/v1/auth/register").then().statusCode(201)
                    .body("user.email_verified", equalTo(false)).body("$", not(hasKey("access_token")))
                    .body("$", not(hasKey("refresh_token")));
            String refused = RestAssured.given().baseUri(base).contentType(ContentType.JSON)
                    .body(Map.of("email", email, "password", PASSWORD)).post("/api/v1/auth/login")
                    .then().statusCode(401).extract().path("type");
            String wrongPassword = RestAssured.given().baseUri(base).contentType(ContentType.JSON)
                    .body(Map.of("email", email, "password", "wrong password here")).post("/api/v1/auth/login")
                    .then().statusCode(401).extract().path("type");
            assertEquals(wrongPassword, refused);
            String token = MailServer.awaitMail(email, "Confirm your email").token();
            RestAssured.given().baseUri(base).contentType(ContentType.JSON).body(Map.of("token", token))
                    .post("/api/v1/auth/verify-email").then().statusCode(204);
            RestAssured.given().baseUri(base).contentType(ContentType.JSON)
                    .body(Map.of("email", email, "password", PASSWORD)).post("/api/v1/auth/login").then().statusCode(200);

            // every other way in: an unverified account signed in on the first instance, which does not require it
            Api.Account unverified = Api.register("Unverified Elsewhere Co");
            RestAssured.given().baseUri(base).auth().oauth2(unverified.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of("tenant", unverified.tenantId())).post("/api/v1/auth/switch-tenant")
                    .then().statusCode(403).body("type", equalTo("urn:gatehouse:problem:email-not-verified"));
            RestAssured.given().baseUri(base).contentType(ContentType.JSON).body(Api.refreshBody(unverified.refreshToken()))
                    .post("/api/v1/auth/refresh").then().statusCode(401);
            Api.json(Api.refreshBody(unverified.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401); // ended
            // OAuth: a provider that did not verify the address makes no account here
            OAuthChecks.Person person = OAuthChecks.Person.fresh(false);
            OAuthChecks.Flow flow = OAuthChecks.authorize(RestAssured.given().baseUri(base), "fakeoidc");
            OAuthChecks.assertRefusedWithNothingWritten(() -> OAuthChecks.callback(RestAssured.given().baseUri(base), flow,
                    OAuthChecks.consent(flow, person, Map.of())), 403, "email-not-verified");
            OAuthChecks.assertNothingOfTheirs(person);
        }
    }
}
