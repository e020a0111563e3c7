package dev.gatehouse.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** PATCH bodies as Entra ID, Okta and RFC 7644 §3.5.2 write them. */
class ScimPatchTest {

    private static final ScimUser ADA = new ScimUser(UUID.randomUUID(), "ada@example.com", "ext-1", "Ada Lovelace",
            "Ada", "Lovelace", true, ScimEnterpriseUser.NONE, Instant.EPOCH, Instant.EPOCH);

    private static ScimUser patch(String operations) {
        String body = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":" + operations + "}";
        JsonObject json = ScimJson.JSON.createReader(new StringReader(body)).readObject();
        return ScimPatch.apply(ADA, json);
    }

    @Test
    void entraDisablesWithABooleanAsAString() {
        assertFalse(patch("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]").active());
        assertTrue(patch("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"True\"}]").active());
    }

    @Test
    void oktaDisablesWithAnObjectWithoutPath() {
        assertFalse(patch("[{\"op\":\"replace\",\"value\":{\"active\":false}}]").active());
    }

    @Test
    void entraChangesTheWorkEmailAndNames() {
        ScimUser patched = patch("""
                [{"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"ada@new.example.com"},
                 {"op":"Replace","path":"name.givenName","value":"Augusta"},
                 {"op":"Add","path":"externalId","value":"ext-2"},
                 {"op":"Add","path":"title","value":"Countess"},
                 {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Math"}]""");
        assertEquals("ada@new.example.com", patched.userName());
        assertEquals("Augusta", patched.givenName());
        assertEquals("Augusta Lovelace", patched.displayName());
        assertEquals("ext-2", patched.externalId());
    }

    @Test
    void displayNameWinsOverTheNameParts() {
        ScimUser patched = patch("""
                [{"op":"replace","value":{"displayName":"Countess of Lovelace","name":{"givenName":"Augusta"}}}]""");
        assertEquals("Countess of Lovelace", patched.displayName());
        assertEquals("Augusta", patched.givenName());
    }

    @Test
    void removeClearsWhatMayBeCleared() {
        ScimUser patched = patch("[{\"op\":\"remove\",\"path\":\"externalId\"},{\"op\":\"remove\",\"path\":\"name.familyName\"}]");
        assertEquals(null, patched.externalId());
        assertEquals(null, patched.familyName());
        assertEquals("mutability", assertThrows(ScimException.class,
                () -> patch("[{\"op\":\"remove\",\"path\":\"userName\"}]")).scimType());
        assertEquals("noTarget", assertThrows(ScimException.class, () -> patch("[{\"op\":\"remove\"}]")).scimType());
    }

    @Test
    void badOperationsAreClearErrors() {
        assertEquals("invalidSyntax", assertThrows(ScimException.class, () -> patch("[{\"op\":\"move\",\"path\":\"active\"}]")).scimType());
        assertEquals("invalidValue", assertThrows(ScimException.class,
                () -> patch("[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}]")).scimType());
        assertEquals("invalidPath", assertThrows(ScimException.class,
                () -> patch("[{\"op\":\"replace\",\"path\":\"shoeSize\",\"value\":\"42\"}]")).scimType());
        assertEquals("mutability", assertThrows(ScimException.class,
                () -> patch("[{\"op\":\"replace\",\"path\":\"groups\",\"value\":[]}]")).scimType());
        assertEquals("invalidValue", assertThrows(ScimException.class, () -> patch("""
                [{"op":"replace","path":"userName","value":"one@example.com"},
                 {"op":"replace","path":"emails[type eq \\"work\\"].value","value":"two@example.com"}]""")).scimType());
        assertEquals("invalidSyntax", assertThrows(ScimException.class, () -> patch("[]")).scimType());
    }

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    @Test
    void entraSetsEnterpriseAttributesByTheirUrnPaths() {
        UUID manager = UUID.randomUUID();
        ScimEnterpriseUser enterprise = patch("""
                [{"op":"Add","path":"%1$s:department","value":"Analytical Engines"},
                 {"op":"Add","path":"%1$s:employeeNumber","value":"1815"},
                 {"op":"Replace","path":"%1$s:costCenter","value":"CC-7"},
                 {"op":"Add","path":"%1$s:organization","value":"Babbage Ltd"},
                 {"op":"Add","path":"%1$s:division","value":"Research"},
                 {"op":"Add","path":"%1$s:manager","value":"%2$s"}]""".formatted(ENTERPRISE, manager)).enterprise();
        assertEquals(new ScimEnterpriseUser("1815", "CC-7", "Babbage Ltd", "Research", "Analytical Engines", manager), enterprise);
    }

    @Test
    void oktaSetsTheExtensionAsAnObjectAndRemoveClearsIt() {
        UUID manager = UUID.randomUUID();
        ScimUser patched = patch("""
                [{"op":"replace","value":{"%s":{"department":"Math","manager":{"value":"%s"}}}}]""".formatted(ENTERPRISE, manager));
        assertEquals("Math", patched.enterprise().department());
        assertEquals(manager, patched.enterprise().manager());
        assertEquals(null, ScimPatch.apply(patched, json("[{\"op\":\"remove\",\"path\":\"" + ENTERPRISE + ":manager\"}]"))
                .enterprise().manager());
        assertEquals(ScimEnterpriseUser.NONE, ScimPatch.apply(patched, json("[{\"op\":\"remove\",\"path\":\"" + ENTERPRISE + "\"}]"))
                .enterprise());
    }

    @Test
    void aManagerThatIsNoIdOrAnUnknownEnterpriseAttributeIs400() {
        assertEquals("invalidValue", assertThrows(ScimException.class,
                () -> patch("[{\"op\":\"add\",\"path\":\"" + ENTERPRISE + ":manager\",\"value\":\"bob\"}]")).scimType());
        assertEquals("invalidPath", assertThrows(ScimException.class,
                () -> patch("[{\"op\":\"add\",\"path\":\"" + ENTERPRISE + ":shoeSize\",\"value\":\"9\"}]")).scimType());
    }

    /** RFC 7644 §3.5.2.1 adds a home address, §3.5.2.2 removes by a value filter: the account keeps its one email. */
    @Test
    void theRfcsEmailAddAndRemoveLeaveTheAccountsAddress() {
        ScimUser patched = patch("""
                [{"op":"add","value":{"emails":[{"value":"babs@jensen.org","type":"home"}],"nickname":"Babs"}}]""");
        assertEquals("ada@example.com", patched.userName());
        assertEquals("mutability", assertThrows(ScimException.class, () -> patch("""
                [{"op":"remove","path":"emails[type eq \\"work\\" and value ew \\"example.com\\"]"}]""")).scimType());
        assertEquals("ada@new.example.com", patch("""
                [{"op":"add","value":{"emails":[{"value":"ada@new.example.com","type":"work"}]}}]""").userName());
    }

    private static JsonObject json(String operations) {
        return ScimJson.JSON.createReader(new StringReader(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":" + operations + "}")).readObject();
    }
}
