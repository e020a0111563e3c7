package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The service is no open mail relay (issue 28): names people type never become links in its mails, one address
 * gets at most the limit of mails of one kind per window however often others ask (the answers stay the same),
 * and a tenant's invitations have a daily budget. The mails are read from the real SMTP server (MailServer).
 */
abstract class MailAbuseChecks {

    /** The catalogue's defaults, which the test server runs with. */
    private static final int RECIPIENT_LIMIT = 3;
    private static final int INVITATIONS_PER_TENANT_PER_DAY = 100;

    /** What a mail client would turn into a link: a scheme, www. before a name, the test's host name or address. */
    private static final Pattern LINK_LIKE = Pattern.compile("(?i)https?://|www\\.\\w|evil\\.example|@evil");

    private static Response invite(Api.Account admin, String email) {
        return admin.as().contentType(ContentType.JSON).body(Map.of("email", email)).post("/api/v1/invitations");
    }

    private static long mailsTo(String recipient, String subjectContains) {
        return MailServer.mailsTo(recipient).stream().filter(m -> m.subject().contains(subjectContains)).count();
    }

    private static long suppressed(String kind, String column, UUID id) {
        return TestDatabase.queryLong("select count(*) from security_events where type = 'mail.suppressed' and "
                + column + " = ? and details->>'kind' = ?", id, kind);
    }

    /** Waits until the outbox holds nothing more for the address: every mail written was sent. */
    private static void awaitOutboxEmpty(String recipient) {
        Polling.awaitTrue(Duration.ofSeconds(30), Duration.ofMillis(100), "the outbox sent every mail to " + recipient,
                () -> TestDatabase.queryLong("select count(*) from mail_outbox where recipient = ?", recipient) == 0);
    }

    @Test
    void namesPeopleTypeNeverBecomeLinksInMails() {
        String tenantName = "Prizes <b>now</b> at https://evil.example/win";
        String fullName = "Visit www.evil.example or write to claim@evil.example";
        String email = Api.uniqueEmail("relay");
        JsonPath registered = json(Map.of("email", email, "password", PASSWORD, "full_name", fullName, "tenant_name", tenantName))
                .post("/api/v1/auth/register").then().statusCode(201).extract().jsonPath();
        Api.Account admin = new Api.Account(email, registered.getString("user.id"), registered.getString("user.tenant_id"),
                registered.getString("access_token"), registered.getString("refresh_token"));
        String invitee = Api.uniqueEmail("relay-target");
        invite(admin, invitee).then().statusCode(201);

        MailServer.Mail invitation = MailServer.awaitMail(invitee, "invited you");
        MailServer.Mail verification = MailServer.awaitMail(email, "Confirm your email");
        for (MailServer.Mail mail : List.of(invitation, verification)) {
            for (String part : List.of(mail.subject(), mail.text(), mail.html())) {
                Matcher link = LINK_LIKE.matcher(part.replace(mail.link(), ""));
                if (link.find()) {
                    fail("a link-like '" + link.group() + "' in the mail '" + mail.subject() + "': " + part);
                }
            }
            assertEquals(1, Pattern.compile("<a ").matcher(mail.html()).results().count(), "one link, ours: " + mail.html());
        }
        // still readable: the names as typed but for invisible zero-width spaces, escaped in the HTML
        String invitationText = invitation.text().replace("\u200B", "");
        assertTrue(invitationText.contains(tenantName) && invitationText.contains(fullName), invitationText);
        assertTrue(invitation.html().replace("\u200B", "").contains("Prizes &lt;b&gt;now&lt;/b&gt;"), invitation.html());
        assertTrue(invitation.subject().replace("\u200B", "").contains(tenantName), invitation.subject());
    }

    /** Issue 28: 15 invitations of one address in a row were 15 mails. */
    @Test
    void oneAddressGetsTheLimitOfInvitationMailsWhoeverInvitesItAndEveryInvitationIsAnsweredAlike() {
        Api.Account admin = Api.register("Invitation Flood Co");
        Api.Account other = Api.register("Invitation Flood Other Co");
        String target = Api.uniqueEmail("flooded");
        for (int i = 0; i < 15; i++) {
            invite(admin, target).then().statusCode(201).body("email", equalTo(target));
        }
        invite(other, target).then().statusCode(201); // another tenant shares the address's limit
        awaitOutboxEmpty(target);
        Polling.sleep(500);
        assertEquals(RECIPIENT_LIMIT, mailsTo(target, "invited you"), "invitation mails to " + target);
        assertEquals(15 - RECIPIENT_LIMIT, suppressed("invitation", "tenant_id", UUID.fromString(admin.tenantId())));
        assertEquals(1, suppressed("invitation", "tenant_id", UUID.fromString(other.tenantId())));
        assertEquals(16, TestDatabase.queryLong("select count(*) from invitations where email = ?", target));
    }

    /** Issue 28: 6 forgot-password requests for one account in 0.3 s were 6 mails. */
    @Test
    void aBurstOfForgotPasswordRequestsMailsTheLimitAndAnswersEachAlike() throws Exception {
        Api.Account account = Api.register("Reset Flood Co");
        List<Integer> statuses = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(6); // six at once: the common pool may run them in turn
        try {
            List<Future<Integer>> requests = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                requests.add(clients.submit(() -> json(Map.of("email", account.email()))
                        .post("/api/v1/auth/forgot-password").statusCode()));
            }
            for (Future<Integer> request : requests) {
                statuses.add(request.get());
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(Collections.nCopies(6, 202), statuses);
        UUID user = UUID.fromString(account.userId());
        // the mails are written on another thread: wait until each request has its mail or its suppression
        Polling.awaitTrue(Duration.ofSeconds(30), Duration.ofMillis(100), "six reset mails or suppressions",
                () -> mailsTo(account.email(), "Set a new password") + suppressed("reset-password", "subject_user_id", user) >= 6);
        awaitOutboxEmpty(account.email());
        Polling.sleep(500);
        assertEquals(RECIPIENT_LIMIT, mailsTo(account.email(), "Set a new password"));
        assertEquals(6 - RECIPIENT_LIMIT, suppressed("reset-password", "subject_user_id", user));
        // the limit holds back mails, not the account: the newest mailed link (each replaced the one before) works
        List<Integer> resets = MailServer.mailsTo(account.email()).stream().filter(m -> m.subject().contains("Set a new password"))
                .map(m -> json(Map.of("token", m.token(), "new_password", PASSWORD + " anew"))
                        .post("/api/v1/auth/reset-password").statusCode()).toList();
        assertEquals(1, resets.stream().filter(status -> status == 204).count(), resets.toString());
    }

    @Test
    void aTenantsInvitationsPastItsDailyBudgetAre429WithRetryAfterAndWriteNothing() {
        Api.Account admin = Api.register("Invitation Budget Co");
        UUID tenant = UUID.fromString(admin.tenantId());
        for (int i = 0; i < INVITATIONS_PER_TENANT_PER_DAY; i++) {
            invite(admin, Api.uniqueEmail("budget-" + i)).then().statusCode(201);
        }
        String late = Api.uniqueEmail("budget-late");
        Response over = invite(admin, late);
        ProblemDetailsChecks.assertProblem(over.then(), 429, "/api/v1/invitations")
                .body("type", equalTo("urn:gatehouse:problem:invitation-limit"));
        long retryAfter = Long.parseLong(over.header("Retry-After"));
        assertTrue(retryAfter > 86_000 && retryAfter <= 86_401, "Retry-After: the oldest turns a day old: " + retryAfter);
        assertEquals(INVITATIONS_PER_TENANT_PER_DAY, TestDatabase.queryLong("select count(*) from invitations where tenant_id = ?", tenant));
        assertEquals(0, TestDatabase.queryLong("select count(*) from invitations where email = ?", late));

        // a day after the oldest, its place in the budget is free again
        TestDatabase.update("""
                update invitations set created_at = created_at - interval '1 day'
                where id = (select id from invitations where tenant_id = ? order by created_at limit 1)""", tenant);
        invite(admin, late).then().statusCode(201);
        invite(admin, Api.uniqueEmail("budget-later")).then().statusCode(429);
    }
}
