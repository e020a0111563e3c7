package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.RestAssured;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Email verification end to end through the SMTP server: registration and POST /users mail a link, the token
 * from the received mail verifies the address once, the resend replaces the link. Bad, expired and used
 * tokens get one answer.
 */
abstract class EmailVerificationChecks {

    static final String INVALID_TOKEN = "urn:gatehouse:problem:invalid-token";

    static void assertInvalidToken(String path, Map<String, ?> body) {
        ProblemDetailsChecks.assertProblem(json(body).post(path).then(), 400, path)
                .body("type", equalTo(INVALID_TOKEN));
    }

    private static boolean verified(String userId) {
        return (Boolean) TestDatabase.queryValue("select email_verified from users where id = ?", UUID.fromString(userId));
    }

    @Test
    void registrationMailsALinkThatVerifiesTheAddressOnce() {
        Api.Account account = Api.register("Verify Co");
        account.as().get("/api/v1/users/me").then().statusCode(200).body("email_verified", equalTo(false));
        MailServer.Mail mail = MailServer.awaitMail(account.email(), "Confirm your email");
        assertTrue(mail.link().startsWith("http://localhost:" + TestServer.HTTP_PORT + "/account/verify-email.html#token="));
        assertTrue(mail.html().contains("href=\"" + mail.link() + "\""));

        json(Map.of("token", mail.token())).post("/api/v1/auth/verify-email").then().statusCode(204);
        assertTrue(verified(account.userId()));
        account.as().get("/api/v1/users/me").then().statusCode(200).body("email_verified", equalTo(true));
        assertInvalidToken("/api/v1/auth/verify-email", Map.of("token", mail.token())); // used
        assertEquals(1L, TestDatabase.queryLong("select count(*) from security_events where type = 'email.verified'"
                + " and subject_user_id = ?", UUID.fromString(account.userId())));
    }

    @Test
    void aUserAddedByAnAdminGetsAVerificationMail() {
        Api.Account admin = Api.register("Verify Added Co");
        Api.Account added = Api.addUser(admin, false);
        String token = MailServer.awaitMail(added.email(), "Confirm your email").token();
        json(Map.of("token", token)).post("/api/v1/auth/verify-email").then().statusCode(204);
        admin.as().get("/api/v1/users/" + added.userId()).then().statusCode(200).body("email_verified", equalTo(true));
    }

    @Test
    void badExpiredAndUsedTokensGetTheSameAnswer() {
        Api.Account account = Api.register("Verify Bad Co");
        String token = MailServer.awaitMail(account.email(), "Confirm your email").token();
        assertInvalidToken("/api/v1/auth/verify-email", Map.of("token", "x".repeat(43)));
        assertInvalidToken("/api/v1/auth/verify-email", Map.of("token", ""));
        TestDatabase.update("update account_tokens set expires_at = now() - interval '1 second' where user_id = ?",
                UUID.fromString(account.userId()));
        assertInvalidToken("/api/v1/auth/verify-email", Map.of("token", token)); // expired
        assertFalse(verified(account.userId()));
    }

    @Test
    void resendReplacesTheLinkAndIsRefusedOnceVerified() {
        Api.Account account = Api.register("Verify Resend Co");
        String first = MailServer.awaitMail(account.email(), "Confirm your email").token();
        account.as().post("/api/v1/auth/verify-email/resend").then().statusCode(202);
        String second = MailServer.awaitMail(account.email(), "Confirm your email", 2).token();
        assertInvalidToken("/api/v1/auth/verify-email", Map.of("token", first));
        json(Map.of("token", second)).post("/api/v1/auth/verify-email").then().statusCode(204);
        ProblemDetailsChecks.assertProblem(account.as().post("/api/v1/auth/verify-email/resend").then(), 409,
                "/api/v1/auth/verify-email/resend");
        json(Map.of()).post("/api/v1/auth/verify-email/resend").then().statusCode(401); // signed in only
    }

    /**
     * An OAuth identity is linked to the account with its email only when both sides verified the address:
     * the provider, and the account by its mailed link. An account the sign-in makes is verified when the
     * provider verified the address.
     */
    @Test
    void anOAuthSignInLinksAnAccountOnlyWhenBothSidesVerifiedTheEmail() throws Exception {
        Api.Account account = Api.register("Verify OAuth Co");
        OAuthChecks.Person providerVerified = new OAuthChecks.Person("sub-" + UUID.randomUUID(), account.email(), true);
        OAuthChecks.signIn(RestAssured.given(), "fakeoidc", providerVerified).then().statusCode(409); // account unverified
        json(Map.of("token", MailServer.awaitMail(account.email(), "Confirm your email").token()))
                .post("/api/v1/auth/verify-email").then().statusCode(204);
        OAuthChecks.Person providerUnverified = new OAuthChecks.Person("sub-" + UUID.randomUUID(), account.email(), false);
        OAuthChecks.signIn(RestAssured.given(), "fakeoidc", providerUnverified).then().statusCode(409);
        assertEquals(null, OAuthChecks.oauthProviderOf(account.userId()));

        String linked = OAuthChecks.signIn(RestAssured.given(), "fakeoidc", providerVerified).then().statusCode(200)
                .extract().path("access_token");
        assertEquals(account.userId(), OAuthChecks.subjectOf(linked));
        assertEquals("fakeoidc", OAuthChecks.oauthProviderOf(account.userId()));

        String created = OAuthChecks.signIn(RestAssured.given(), "fakeoidc", OAuthChecks.Person.fresh(true)).then()
                .statusCode(200).extract().path("access_token");
        RestAssured.given().header("Authorization", "Bearer " + created).get("/api/v1/users/me").then().statusCode(200)
                .body("email_verified", equalTo(true));
    }

    @Test
    void malformedBodiesAre4xxAndNeverWrite() {
        Api.Account account = Api.register("Verify Malformed Co");
        String token = MailServer.awaitMail(account.email(), "Confirm your email").token();
        List<Object> written = verificationState(account.userId());
        // bodies around the live token that are bad otherwise: a control character, the wrong type
        for (Object body : List.of(Map.of(), Map.of("token", "a".repeat(201)), Map.of("token", token + "\u0000"),
                Map.of("token", List.of(token)))) {
            int status = json(body).post("/api/v1/auth/verify-email").statusCode();
            assertTrue(status >= 400 && status < 500, body + ": " + status);
        }
        // read back: the token is still there, the address unverified, no event written
        assertEquals(written, verificationState(account.userId()));
        assertEquals(List.of(1L, false), written.subList(0, 2));
        Api.login(account.email(), PASSWORD, null); // unverified accounts sign in (default)
        json(Map.of("token", token)).post("/api/v1/auth/verify-email").then().statusCode(204); // it was never used
    }

    /** The account's live verification tokens, whether its address is verified, and how many events it has. */
    private static List<Object> verificationState(String userId) {
        return List.of(
                TestDatabase.queryLong("select count(*) from account_tokens where user_id = ?::uuid and purpose = 'verify_email'", userId),
                TestDatabase.queryValue("select email_verified from users where id = ?::uuid", userId),
                TestDatabase.queryLong("select count(*) from security_events where subject_user_id = ?::uuid or actor_user_id = ?::uuid",
                        userId, userId));
    }
}
