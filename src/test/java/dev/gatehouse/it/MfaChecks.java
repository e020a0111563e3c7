package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.mfa.Totp;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Multi-factor authentication, with codes computed from the secret as an authenticator app does: enrolment,
 * sign-in with a code or a recovery code, no replay, the ticket's attempts, the tenant policy, resets.
 */
abstract class MfaChecks {

    /** A person with MFA on: their account, its TOTP secret, and the time step their last code used. */
    record Enrolled(Api.Account account, byte[] secret, List<String> recoveryCodes, long[] lastStep) {

        /** The code of the next step not used yet (a code is accepted once; one step ahead is within the skew). */
        String nextCode() {
            long now = Totp.stepAt(System.currentTimeMillis() / 1000);
            long step = Math.max(now, lastStep[0] + 1);
            if (step > now + 1) {
                throw new IllegalStateException("both codes of this window are used: wait for the next step");
            }
            lastStep[0] = step;
            return Totp.code(secret, step);
        }
    }

    static Enrolled enrol(Api.Account account) {
        JsonPath started = account.as().post("/api/v1/users/me/mfa/totp").then().statusCode(200)
                .body("qr_code", org.hamcrest.Matchers.startsWith("data:image/png;base64,"))
                .extract().jsonPath();
        byte[] secret = base32(started.getString("secret"));
        assertTrue(started.getString("otpauth_uri").startsWith("otpauth://totp/Gatehouse%3A"), started.prettify());
        long[] lastStep = {Totp.stepAt(System.currentTimeMillis() / 1000) - 2};
        Enrolled enrolled = new Enrolled(account, secret, List.of(), lastStep);
        List<String> codes = account.as().contentType(ContentType.JSON).body(Map.of("code", enrolled.nextCode()))
                .post("/api/v1/users/me/mfa/totp/confirm").then().statusCode(200).extract().jsonPath()
                .getList("recovery_codes");
        assertEquals(10, codes.size());
        return new Enrolled(account, secret, codes, lastStep);
    }

    static JsonPath passwordStep(String email, String password) {
        return json(Map.of("email", email, "password", password)).post("/api/v1/auth/login")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aSignInWithMfaOnNeedsACodeAndTheTokenSaysSo() {
        Enrolled user = enrol(Api.register("Mfa Login Co"));
        JsonPath first = passwordStep(user.account().email(), PASSWORD);
        assertTrue(first.getBoolean("mfa_required"));
        assertFalse(first.getBoolean("mfa_enrolment_required"));
        assertNull(first.getString("access_token"), "no tokens before the second factor");

        JsonPath session = json(Map.of("mfa_ticket", first.getString("mfa_ticket"), "code", user.nextCode()))
                .post("/api/v1/auth/mfa/verify").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("pwd", "otp", "mfa"), TestTokens.claimsOf(session.getString("access_token")).getJsonArray("amr")
                .getValuesAs(jakarta.json.JsonString::getString));
        String rotated = json(refreshBody(session.getString("refresh_token"))).post("/api/v1/auth/refresh")
                .then().statusCode(200).extract().path("access_token");
        assertEquals(3, TestTokens.claimsOf(rotated).getJsonArray("amr").size(), "a rotation keeps the session's methods");

        // the ticket is single use
        json(Map.of("mfa_ticket", first.getString("mfa_ticket"), "code", "000000"))
                .post("/api/v1/auth/mfa/verify").then().statusCode(400).body("type", org.hamcrest.Matchers.endsWith("invalid-mfa-ticket"));
    }

    @Test
    void aCodeIsAcceptedOnce() {
        Enrolled user = enrol(Api.register("Mfa Replay Co"));
        String code = user.nextCode();
        String ticket = passwordStep(user.account().email(), PASSWORD).getString("mfa_ticket");
        json(Map.of("mfa_ticket", ticket, "code", code)).post("/api/v1/auth/mfa/verify").then().statusCode(200);
        String again = passwordStep(user.account().email(), PASSWORD).getString("mfa_ticket");
        json(Map.of("mfa_ticket", again, "code", code)).post("/api/v1/auth/mfa/verify").then().statusCode(400)
                .contentType("application/problem+json").body("type", org.hamcrest.Matchers.endsWith("invalid-mfa-code"));
    }

    @Test
    void aRecoveryCodeWorksOnceAndTheTicketDiesAfterFiveWrongCodes() {
        Enrolled user = enrol(Api.register("Mfa Recovery Co"));
        String recovery = user.recoveryCodes().getFirst().toLowerCase(Locale.ROOT); // typed by a person: case does not matter
        String ticket = passwordStep(user.account().email(), PASSWORD).getString("mfa_ticket");
        JsonPath session = json(Map.of("mfa_ticket", ticket, "recovery_code", recovery)).post("/api/v1/auth/mfa/verify")
                .then().statusCode(200).extract().jsonPath();
        String again = passwordStep(user.account().email(), PASSWORD).getString("mfa_ticket");
        json(Map.of("mfa_ticket", again, "recovery_code", recovery)).post("/api/v1/auth/mfa/verify").then().statusCode(400);
        assertEquals(9, TestDatabase.queryLong(
                "select count(*) from mfa_recovery_codes where user_id = ?::uuid and used_at is null", user.account().userId()));
        assertTrue(TestDatabase.queryLong("select count(*) from mfa_recovery_codes where code_hash = sha256(convert_to(?, 'UTF8'))",
                user.recoveryCodes().getFirst().replace("-", "")) == 1, "stored as a hash");

        for (int i = 0; i < 4; i++) { // one wrong recovery code above, four wrong codes here
            json(Map.of("mfa_ticket", again, "code", "000000")).post("/api/v1/auth/mfa/verify").then().statusCode(400);
        }
        json(Map.of("mfa_ticket", again, "code", user.nextCode())).post("/api/v1/auth/mfa/verify").then().statusCode(400)
                .body("type", org.hamcrest.Matchers.endsWith("invalid-mfa-ticket"));

        new Api.Account(user.account().email(), user.account().userId(), user.account().tenantId(),
                session.getString("access_token"), session.getString("refresh_token"))
                .as().queryParam("type", "mfa.code_failed").get("/api/v1/audit-events").then().statusCode(200)
                .body("total", equalTo(5));
    }

    /**
     * A stored TOTP secret opened as README says it is sealed: AES-256-GCM, the 12-byte nonce first, with the
     * key the server generated into its data directory (the suite configures none). Anything else, clear text
     * or base32 included, fails the tag check.
     */
    private static byte[] decryptedAtRest(byte[] stored) {
        try {
            byte[] key = Base64.getDecoder().decode(
                    Files.readString(TestServer.DATA_DIR.resolve("mfa/encryption-key")).strip());
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, stored, 0, 12));
            return cipher.doFinal(stored, 12, stored.length - 12);
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("the stored secret is not AES-GCM under the server's key", e);
        }
    }

    @Test
    void enrolmentNeedsACorrectCodeAndTheSecretIsNeverShownAgain() {
        Api.Account account = Api.register("Mfa Enrol Co");
        account.as().post("/api/v1/users/me/mfa/totp").then().statusCode(200);
        account.as().contentType(ContentType.JSON).body(Map.of("code", "123456"))
                .post("/api/v1/users/me/mfa/totp/confirm").then().statusCode(400);
        passwordStep(account.email(), PASSWORD).getString("access_token"); // not on until confirmed
        Enrolled user = enrol(account);
        account.as().post("/api/v1/users/me/mfa/totp").then().statusCode(409).body("secret", nullValue());
        byte[] stored = (byte[]) TestDatabase.queryValue("select secret_ciphertext from mfa_totp where user_id = ?::uuid",
                account.userId());
        assertArrayEquals(user.secret(), decryptedAtRest(stored), "AES-256-GCM under the server's key");
        account.as().queryParam("type", "mfa.enrolled").get("/api/v1/audit-events").then().statusCode(200)
                .body("items[0].subject_user_id", equalTo(account.userId()));
    }

    @Test
    void disablingNeedsThePasswordAndACode() {
        Enrolled user = enrol(Api.register("Mfa Disable Co"));
        user.account().as().contentType(ContentType.JSON).body(Map.of("password", "wrong password!", "code", "000000"))
                .post("/api/v1/users/me/mfa/totp/disable").then().statusCode(400);
        user.account().as().contentType(ContentType.JSON).body(Map.of("password", PASSWORD, "code", user.nextCode()))
                .post("/api/v1/users/me/mfa/totp/disable").then().statusCode(204);
        assertNotNull(passwordStep(user.account().email(), PASSWORD).getString("access_token"), "tokens at once again");
    }

    @Test
    void newRecoveryCodesReplaceTheOldOnes() {
        Enrolled user = enrol(Api.register("Mfa Regenerate Co"));
        List<String> fresh = user.account().as().contentType(ContentType.JSON).body(Map.of("code", user.nextCode()))
                .post("/api/v1/users/me/mfa/recovery-codes").then().statusCode(200).extract().jsonPath().getList("recovery_codes");
        String ticket = passwordStep(user.account().email(), PASSWORD).getString("mfa_ticket");
        json(Map.of("mfa_ticket", ticket, "recovery_code", user.recoveryCodes().getFirst())).post("/api/v1/auth/mfa/verify")
                .then().statusCode(400);
        json(Map.of("mfa_ticket", ticket, "recovery_code", fresh.getFirst())).post("/api/v1/auth/mfa/verify")
                .then().statusCode(200);
    }

    @Test
    void aTenantThatRequiresMfaMakesItsMembersEnrolAtSignIn() {
        Api.Account admin = Api.register("Mfa Policy Co");
        Api.Account member = Api.addUser(admin, false);
        admin.as().contentType(ContentType.JSON).body(Map.of("require_all", false, "required_permissions", List.of("roles:manage")))
                .put("/api/v1/tenant/mfa-policy").then().statusCode(200).body("required_permissions", equalTo(List.of("roles:manage")));
        assertNotNull(passwordStep(member.email(), PASSWORD).getString("access_token"), "a member without roles:manage is not named");
        JsonPath adminStep = passwordStep(admin.email(), PASSWORD);
        assertTrue(adminStep.getBoolean("mfa_enrolment_required"));

        admin.as().contentType(ContentType.JSON).body(Map.of("require_all", true, "required_permissions", List.of()))
                .put("/api/v1/tenant/mfa-policy").then().statusCode(200);
        admin.as().get("/api/v1/tenant/mfa-policy").then().statusCode(200).body("require_all", equalTo(true));
        member.as().get("/api/v1/tenant/mfa-policy").then().statusCode(403);
        JsonPath memberStep = passwordStep(member.email(), PASSWORD);
        assertTrue(memberStep.getBoolean("mfa_enrolment_required"));
        String ticket = memberStep.getString("mfa_ticket");
        json(Map.of("mfa_ticket", ticket, "code", "000000")).post("/api/v1/auth/mfa/verify").then().statusCode(400); // an enrol ticket only enrols

        byte[] secret = base32(json(Map.of("mfa_ticket", ticket)).post("/api/v1/auth/mfa/totp").then().statusCode(200)
                .extract().path("secret"));
        String code = Totp.code(secret, Totp.stepAt(System.currentTimeMillis() / 1000));
        JsonPath enrolled = json(Map.of("mfa_ticket", ticket, "code", code)).post("/api/v1/auth/mfa/totp/confirm")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(10, enrolled.getList("recovery_codes").size());
        assertTrue(TestTokens.claimsOf(enrolled.getString("access_token")).getJsonArray("amr").toString().contains("mfa"));
        assertTrue(passwordStep(member.email(), PASSWORD).getBoolean("mfa_required"), "from now on a code at every sign-in");

        admin.as().contentType(ContentType.JSON).body(Map.of("require_all", false, "required_permissions", List.of("no:such")))
                .put("/api/v1/tenant/mfa-policy").then().statusCode(422);
    }

    /** Issue 28: a policy naming users:* did not apply to a holder of users:write. RBAC's wildcard rule, both ways. */
    @Test
    void aPolicyNamingAWildcardAppliesToHoldersOfEveryActionItCovers() {
        Api.Account admin = Api.register("Mfa Wildcard Co");
        Api.Account writer = AccessChecks.userWith(admin, List.of("users:read", "users:write"));
        Api.Account auditor = AccessChecks.userWith(admin, List.of("audit:read"));
        Api.Account allOfRoles = AccessChecks.userWith(admin, List.of("roles:*"));
        admin.as().contentType(ContentType.JSON).body(Map.of("require_all", false,
                        "required_permissions", List.of("users:*", "roles:manage")))
                .put("/api/v1/tenant/mfa-policy").then().statusCode(200);
        assertEquals(Boolean.TRUE, passwordStep(writer.email(), PASSWORD).get("mfa_enrolment_required"),
                "users:* names a holder of users:write");
        assertEquals(Boolean.TRUE, passwordStep(allOfRoles.email(), PASSWORD).get("mfa_enrolment_required"),
                "roles:manage names a holder of roles:*");
        assertNotNull(passwordStep(auditor.email(), PASSWORD).getString("access_token"), "audit:read is not named");
    }

    @Test
    void anAdminResetsAMembersMfaButNotOfSomeoneHoldingMore() {
        Api.Account admin = Api.register("Mfa Reset Co");
        Api.Account member = Api.addUser(admin, false);
        enrol(member);
        Api.Account helpdesk = AccessChecks.userWith(admin, List.of("users:read", "users:write"));
        helpdesk.as().post("/api/v1/users/" + member.userId() + "/mfa/reset").then().statusCode(204);
        assertNotNull(passwordStep(member.email(), PASSWORD).getString("access_token"));
        admin.as().queryParam("type", "mfa.reset").get("/api/v1/audit-events").then().statusCode(200)
                .body("items.subject_user_id", hasItem(member.userId()));

        enrol(admin);
        helpdesk.as().post("/api/v1/users/" + admin.userId() + "/mfa/reset").then().statusCode(403);
        Api.Account other = Api.register("Mfa Reset Other Co");
        other.as().post("/api/v1/users/" + member.userId() + "/mfa/reset").then().statusCode(404);
        assertTrue(passwordStep(admin.email(), PASSWORD).getBoolean("mfa_required"), "the superuser's MFA stays on");
    }

    @Test
    void switchingIntoATenantThatRequiresMfaNeedsASessionWithIt() {
        Api.Account admin = Api.register("Mfa Switch Home Co");
        String slug = admin.as().contentType(ContentType.JSON).body(Map.of("name", "Mfa Switch Strict Co"))
                .post("/api/v1/tenants").then().statusCode(201).extract().path("slug");
        JsonPath strict = passwordStep(admin.email(), PASSWORD); // still no policy: a plain session
        String token = json(Map.of("email", admin.email(), "password", PASSWORD, "tenant", slug)).post("/api/v1/auth/login")
                .then().statusCode(200).extract().path("access_token");
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("require_all", true, "required_permissions", List.of())).put("/api/v1/tenant/mfa-policy")
                .then().statusCode(200);
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + strict.getString("access_token"))
                .contentType(ContentType.JSON).body(Map.of("tenant", slug)).post("/api/v1/auth/switch-tenant")
                .then().statusCode(403).body("type", org.hamcrest.Matchers.endsWith("mfa-required"));
    }

    static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
