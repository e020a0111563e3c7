package dev.gatehouse.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
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
        assertEquals(new ScimEnterpriseUser(null, null, null, null, "Sales", null), user.enterprise());
    }

    @Test
    void theEnterpriseExtensionIsReturnedUnderItsUrnWithTheManagersReference() {
        java.util.UUID manager = java.util.UUID.randomUUID();
        ScimUser user = user("""
                {"userName":"ada@example.com","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
                 {"employeeNumber":"1815","manager":{"value":"%s","displayName":"Charles"}}}""".formatted(manager))
                .withId(java.util.UUID.randomUUID());
        JsonObject json = new ScimUser(user.id(), user.userName(), null, user.fullName(), null, null, true, user.enterprise(),
                java.time.Instant.EPOCH, java.time.Instant.EPOCH).toJson("https://auth.example.com/scim/v2/Users/");
        assertEquals(List.of("urn:ietf:params:scim:schemas:core:2.0:User", ScimEnterpriseUser.SCHEMA),
                json.getJsonArray("schemas").getValuesAs(jakarta.json.JsonString::getString));
        JsonObject extension = json.getJsonObject(ScimEnterpriseUser.SCHEMA);
        assertEquals("1815", extension.getString("employeeNumber"));
        assertEquals("https://auth.example.com/scim/v2/Users/" + manager, extension.getJsonObject("manager").getString("$ref"));
        assertFalse(extension.getJsonObject("manager").containsKey("displayName"));
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
