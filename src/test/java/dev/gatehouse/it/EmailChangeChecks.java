package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.EmailVerificationChecks.assertInvalidToken;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Email change end to end: PATCH /users/me with a new email needs the current password, changes nothing
 * until the link mailed to the new address is followed, and then the old address gets a notice.
 */
abstract class EmailChangeChecks {

    @Test
    void theNewAddressTakesEffectWhenItsLinkIsFollowedAndTheOldOneIsTold() {
        Api.Account account = Api.register("Change Email Co");
        String newEmail = Api.uniqueEmail("changed");
        account.as().contentType(ContentType.JSON).body(Map.of("email", newEmail, "current_password", PASSWORD))
                .patch("/api/v1/users/me").then().statusCode(200).body("email", equalTo(account.email()));
        MailServer.Mail mail = MailServer.awaitMail(newEmail, "Confirm your new email");
        Api.login(account.email(), PASSWORD, null); // unchanged until confirmed

        Api.json(Map.of("token", mail.token())).post("/api/v1/auth/verify-email").then().statusCode(204);
        account.as().get("/api/v1/users/me").then().statusCode(200)
                .body("email", equalTo(newEmail)).body("email_verified", equalTo(true));
        Api.login(newEmail, PASSWORD, null);
        Api.json(Map.of("email", account.email(), "password", PASSWORD)).post("/api/v1/auth/login").then().statusCode(401);
        MailServer.awaitMail(account.email(), "Your email address was changed");
        assertInvalidToken("/api/v1/auth/verify-email", Map.of("token", mail.token()));
        for (String type : List.of("email.change_requested", "email.changed")) {
            assertEquals(1, TestDatabase.queryLong("select count(*) from security_events where tenant_id = ?::uuid"
                    + " and subject_user_id = ?::uuid and type = ?", account.tenantId(), account.userId(), type), type);
        }
    }

    @Test
    void aNewEmailNeedsTheCurrentPassword() {
        Api.Account account = Api.register("Change Email Password Co");
        String newEmail = Api.uniqueEmail("nopassword");
        ProblemDetailsChecks.assertProblem(account.as().contentType(ContentType.JSON).body(Map.of("email", newEmail))
                .patch("/api/v1/users/me").then(), 422, "/api/v1/users/me");
        ProblemDetailsChecks.assertProblem(account.as().contentType(ContentType.JSON)
                .body(Map.of("email", newEmail, "current_password", "wrong password here"))
                .patch("/api/v1/users/me").then(), 400, "/api/v1/users/me")
                .body("type", equalTo("urn:gatehouse:problem:invalid-current-password"));
        // the name alone needs no password, as before
        account.as().contentType(ContentType.JSON).body(Map.of("full_name", "Renamed"))
                .patch("/api/v1/users/me").then().statusCode(200).body("full_name", equalTo("Renamed"));
        // a later change with the password is mailed; once its mail is in, the refused ones would be too
        account.as().contentType(ContentType.JSON).body(Map.of("email", newEmail, "current_password", PASSWORD))
                .patch("/api/v1/users/me").then().statusCode(200);
        MailServer.awaitMail(newEmail, "Confirm your new email");
        assertEquals(1, MailServer.mailsTo(newEmail).size(), "only the change with the password was mailed");
        assertEquals(1, TestDatabase.queryLong("select count(*) from account_tokens where email = ?"
                + " and purpose = 'change_email'", newEmail));
    }

    @Test
    void anAddressTakenBeforeTheLinkIsFollowedIsRefused() {
        Api.Account account = Api.register("Change Email Race Co");
        String newEmail = Api.uniqueEmail("contested");
        account.as().contentType(ContentType.JSON).body(Map.of("email", newEmail, "current_password", PASSWORD))
                .patch("/api/v1/users/me").then().statusCode(200);
        String token = MailServer.awaitMail(newEmail, "Confirm your new email").token();
        Api.json(Map.of("email", newEmail, "password", PASSWORD, "full_name", "Taker", "tenant_name", "Taker Co"))
                .post("/api/v1/auth/register").then().statusCode(201);
        ProblemDetailsChecks.assertProblem(Api.json(Map.of("token", token)).post("/api/v1/auth/verify-email").then(),
                409, "/api/v1/auth/verify-email");
        account.as().get("/api/v1/users/me").then().statusCode(200).body("email", equalTo(account.email()));
    }
}
