package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The transactional outbox: a request that writes a mail succeeds while the SMTP server is down, and the
 * mail goes out once it is back; two instances share the outbox without sending a mail twice. The second
 * instance also runs with gatehouse.login.require-verified-email on.
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

    @Test
    void twoInstancesShareTheOutboxWithoutSendingTwice() throws Exception {
        try (SecondServer second = SecondServer.start(Map.of("GATEHOUSE_LOGIN_REQUIRE_VERIFIED_EMAIL", "true"))) {
            List<String> recipients = new ArrayList<>();
            String run = UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < 40; i++) {
                String recipient = "outbox-" + run + "-" + i + "@example.com";
                recipients.add(recipient);
                TestDatabase.update("""
                        insert into mail_outbox (id, recipient, subject, text_body, html_body, created_at, next_attempt_at)
                        values (?, ?, 'Shared outbox', 'text', '<p>html</p>', now(), ?)""",
                        UUID.randomUUID(), recipient, java.sql.Timestamp.from(Instant.now()));
            }
            for (String recipient : recipients) {
                MailServer.awaitMail(recipient, "Shared outbox");
            }
            Polling.sleep(3000); // a second copy would have arrived by now
            for (String recipient : recipients) {
                assertEquals(1, MailServer.mailsTo(recipient).size(), recipient);
            }

            // gatehouse.login.require-verified-email on the second instance: unverified fails like a wrong password
            String base = second.baseUri();
            String email = Api.uniqueEmail("must-verify");
            RestAssured.given().baseUri(base).contentType(ContentType.JSON)
                    .body(Map.of("email", email, "password", PASSWORD, "full_name", "Verifier", "tenant_name", "Verify First Co"))
                    .post("/api/v1/auth/register").then().statusCode(201);
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
        }
    }
}
