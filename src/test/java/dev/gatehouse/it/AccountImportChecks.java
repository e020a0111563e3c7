package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * POST /users/import: accounts from another system with their password hashes, checked whole before anything is
 * written. The hashes are made elsewhere: bcrypt by libxcrypt (V1ImportChecks' Ada), PBKDF2-SHA256 by Python's
 * hashlib (LegacyPasswordFormatsTest's).
 */
abstract class AccountImportChecks {

    static final String BCRYPT = "$2b$12$HFNAquRaOMx.KePrmu3k8uR62JcVkoqrvKj820Va42szB.SiyIfJm"; // "v1 password of Ada"
    /** "correct horse", by Python's hashlib.pbkdf2_hmac (a password of its own: LogSecretsChecks looks for it in the logs). */
    static final String PBKDF2 = "$pbkdf2-sha256$29000$Af4Qc2FsdHNhbHQrL2FiYw$s1n7UYBY9jBJXpn8rE7MbX9mTsglHI4PF7pP568JAFg";

    static Map<String, Object> account(String email, String hash, List<String> roles) {
        Map<String, Object> account = new HashMap<>();
        account.put("email", email);
        account.put("full_name", "Imported " + email);
        account.put("password_hash", hash);
        account.put("roles", roles);
        return account;
    }

    @Test
    void aSuperuserImportsAccountsThatSignInWithTheirOwnHashes() {
        Api.Account owner = Api.register("Bulk Import Co");
        String bcryptEmail = Api.uniqueEmail("bulk-bcrypt");
        String pbkdf2Email = Api.uniqueEmail("bulk-pbkdf2");
        Map<String, Object> inactive = account(Api.uniqueEmail("bulk-inactive"), BCRYPT, List.of());
        inactive.put("is_active", false);
        JsonPath result = owner.as().contentType(ContentType.JSON)
                .body(Map.of("accounts", List.of(account(bcryptEmail, BCRYPT, List.of("member")),
                        account(pbkdf2Email, PBKDF2, List.of("viewer", "member")), inactive)))
                .post("/api/v1/users/import").then().statusCode(201)
                .body("accounts.row", equalTo(List.of(0, 1, 2)))
                .body("accounts.password_scheme", equalTo(List.of("bcrypt", "pbkdf2-sha256", "bcrypt")))
                .extract().jsonPath();
        String bcryptId = result.getString("accounts[0].id");

        Api.login(bcryptEmail.toLowerCase(), "v1 password of Ada", null);
        String upgraded = (String) TestDatabase.queryValue("select password_hash from users where id = ?::uuid", bcryptId);
        assertTrue(upgraded.startsWith("$argon2id$"), upgraded);
        Api.login(pbkdf2Email.toLowerCase(), "correct horse", null);
        assertEquals(401, Api.json(Map.of("email", inactive.get("email"), "password", "v1 password of Ada"))
                .post("/api/v1/auth/login").statusCode());
        owner.as().get("/api/v1/users/" + result.getString("accounts[1].id") + "/roles").then().statusCode(200)
                .body("name", hasItems("member", "viewer"));
        assertEquals(1, TestDatabase.queryLong("""
                select count(*) from security_events where type = 'user.created' and subject_user_id = ?::uuid
                and details->>'method' = 'import'""", bcryptId));
    }

    @Test
    void oneInvalidRowAndNothingIsWrittenWithEveryErrorNamed() {
        Api.Account owner = Api.register("Bulk Refused Co");
        String fine = Api.uniqueEmail("bulk-fine");
        String twice = Api.uniqueEmail("bulk-twice");
        owner.as().contentType(ContentType.JSON)
                .body(Map.of("accounts", List.of(
                        account(fine, BCRYPT, List.of()),
                        account(twice, "$2b$31$HFNAquRaOMx.KePrmu3k8uR62JcVkoqrvKj820Va42szB.SiyIfJm", List.of()),
                        account(twice, "plain text password", List.of("no such role")),
                        account(owner.email(), null, List.of()))))
                .post("/api/v1/users/import").then().statusCode(422)
                .body("type", equalTo("urn:gatehouse:problem:validation"))
                .body("errors.field", hasItems("accounts[1].password_hash", "accounts[2].email",
                        "accounts[2].password_hash", "accounts[2].roles", "accounts[3].email"));
        assertEquals(0, TestDatabase.queryLong("select count(*) from users where lower(email) in (lower(?), lower(?))",
                fine, twice));
    }

    @Test
    void onlyASuperuserImports() {
        Api.Account owner = Api.register("Bulk Admin Co");
        Api.Account admin = Api.addUser(owner, false);
        AccessChecks.assignRoles(owner, admin.userId(), AccessChecks.roleId(owner, "admin"));
        String token = Api.login(admin.email(), PASSWORD, admin.tenantId()).getString("access_token");
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("accounts", List.of(account(Api.uniqueEmail("bulk-nope"), BCRYPT, List.of()))))
                .post("/api/v1/users/import").then().statusCode(403)
                .body("type", equalTo("urn:gatehouse:problem:superuser-required"));
        Api.addUser(owner, false).as().contentType(ContentType.JSON)
                .body(Map.of("accounts", List.of(account(Api.uniqueEmail("bulk-nope"), BCRYPT, List.of()))))
                .post("/api/v1/users/import").then().statusCode(403);
    }
}
