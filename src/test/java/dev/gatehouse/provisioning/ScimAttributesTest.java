package dev.gatehouse.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** attributes and excludedAttributes (RFC 7644 §3.4.2.5) applied to a user as Gatehouse returns it. */
class ScimAttributesTest {

    private static final String ENTERPRISE = ScimEnterpriseUser.SCHEMA;
    private static final JsonObject USER = json("""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","%1$s"],"id":"2819c223","externalId":"bjensen",
             "userName":"bjensen@example.com","name":{"formatted":"Barbara Jensen","givenName":"Barbara","familyName":"Jensen"},
             "displayName":"Babs","emails":[{"value":"bjensen@example.com","type":"work","primary":true}],"active":true,
             "%1$s":{"department":"Tour Operations","manager":{"value":"26118915","$ref":"../Users/26118915"}},
             "meta":{"resourceType":"User","location":"https://example.com/v2/Users/2819c223"}}""".formatted(ENTERPRISE));

    private static JsonObject json(String text) {
        return ScimJson.JSON.createReader(new StringReader(text)).readObject();
    }

    private static JsonObject apply(String attributes, String excluded) {
        return ScimAttributes.of(attributes, excluded).apply(USER);
    }

    @Test
    void attributesReturnsThoseAndIdAndSchemasOnly() {
        assertEquals(json("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","%s"],"id":"2819c223","userName":"bjensen@example.com"}"""
                .formatted(ENTERPRISE)), apply("userName", null));
        assertEquals(json("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","%1$s"],"id":"2819c223","name":{"givenName":"Barbara"},
                 "emails":[{"value":"bjensen@example.com"}],"%1$s":{"department":"Tour Operations"}}""".formatted(ENTERPRISE)),
                apply("NAME.givenName, emails.value ,%s:department".formatted(ENTERPRISE), null));
        assertEquals(USER.get(ENTERPRISE), apply(ENTERPRISE, null).get(ENTERPRISE));
        assertEquals(USER.get("userName"), apply("urn:ietf:params:scim:schemas:core:2.0:User:userName", null).get("userName"));
    }

    @Test
    void excludedAttributesLeavesThoseOutButNeverIdOrSchemas() {
        JsonObject result = apply(null, "emails,name.familyName,id,schemas,%s:manager".formatted(ENTERPRISE));
        assertFalse(result.containsKey("emails"));
        assertEquals(json("{\"formatted\":\"Barbara Jensen\",\"givenName\":\"Barbara\"}"), result.get("name"));
        assertEquals(json("{\"department\":\"Tour Operations\"}"), result.get(ENTERPRISE));
        assertEquals(USER.get("id"), result.get("id"));
        assertEquals(USER.get("schemas"), result.get("schemas"));
        assertEquals(USER.get("meta"), result.get("meta"));
        assertEquals(USER, ScimAttributes.ALL.apply(USER));
    }

    @Test
    void returnsTellsWhetherATopLevelAttributeIsNeeded() {
        assertFalse(ScimAttributes.of(null, "members").returns("members"));
        assertTrue(ScimAttributes.of(null, "members.display").returns("members"));
        assertTrue(ScimAttributes.of("members.value", null).returns("members"));
        assertFalse(ScimAttributes.of("displayName", null).returns("members"));
        assertTrue(ScimAttributes.ALL.returns("members"));
    }

    @Test
    void bothOrAMalformedPathIs400() {
        assertEquals("invalidValue", assertThrows(ScimException.class, () -> ScimAttributes.of("userName", "emails")).scimType());
        assertEquals("invalidValue", assertThrows(ScimException.class, () -> ScimAttributes.of("name.", null)).scimType());
    }
}
