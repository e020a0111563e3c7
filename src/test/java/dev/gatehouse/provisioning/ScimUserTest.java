package dev.gatehouse.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** POST and PUT bodies as a user: one address for userName and emails, the full name, booleans as Entra ID writes them. */
class ScimUserTest {

    private static ScimUser user(String json) {
        JsonObject body = ScimJson.JSON.createReader(new StringReader(json)).readObject();
        return ScimUser.fromJson(body);
    }

    @Test
    void entraIdsCreateBody() {
        ScimUser user = user("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "externalId":"0a21f0f2","userName":"Test_User@Contoso.com ","active":"True",
                 "emails":[{"primary":true,"type":"work","value":"test_user@contoso.com"}],
                 "meta":{"resourceType":"User"},"name":{"formatted":"Test User","familyName":"User","givenName":"Test"},
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"},"roles":[]}""");
        assertEquals("test_user@contoso.com", user.userName());
        assertEquals("0a21f0f2", user.externalId());
        assertEquals("Test User", user.fullName());
        assertTrue(user.active());
    }

    @Test
    void theFullNameFallsBackToTheNamePartsThenTheAddress() {
        assertEquals("Ada Lovelace", user("{\"userName\":\"ada@example.com\",\"name\":{\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"}}").fullName());
        assertEquals("ada@example.com", user("{\"userName\":\"ada@example.com\"}").fullName());
        assertEquals("Countess", user("{\"userName\":\"ada@example.com\",\"displayName\":\"Countess\",\"name\":{\"formatted\":\"A L\"}}").fullName());
        assertFalse(user("{\"userName\":\"ada@example.com\",\"active\":false}").active());
    }

    @Test
    void userNameAndEmailsAreOneAddress() {
        assertEquals("ada@example.com", user("""
                {"userName":"ada@example.com","emails":[{"value":"home@example.com","type":"home"},{"value":"ADA@example.com","type":"work"}]}""")
                .userName());
        for (String body : new String[] {"{}", "{\"userName\":\"not-an-address\"}", "{\"userName\":42}",
                "{\"userName\":\"ada@example.com\",\"emails\":[{\"value\":\"other@example.com\",\"primary\":true}]}",
                "{\"userName\":\"ada@example.com\",\"active\":\"maybe\"}", "{\"userName\":\"ada@example.com\",\"emails\":{}}",
                "{\"userName\":\"ada@example.com\",\"externalId\":\"" + "x".repeat(256) + "\"}"}) {
            assertEquals("invalidValue", assertThrows(ScimException.class, () -> user(body), body).scimType());
        }
    }
}
