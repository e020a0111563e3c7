package dev.gatehouse.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Group PATCH bodies as Entra ID and Okta send them, as changes to the holders of a role. */
class ScimGroupPatchTest {

    private static final UUID ADA = UUID.randomUUID();
    private static final UUID GRACE = UUID.randomUUID();
    private static final UUID ALAN = UUID.randomUUID();

    private static ScimGroupPatch patch(String operations) {
        String body = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":" + operations + "}";
        return ScimGroupPatch.of(ScimJson.JSON.createReader(new StringReader(body)).readObject());
    }

    @Test
    void entraAddsAndRemovesMembersByValueArrays() {
        ScimGroupPatch patch = patch("""
                [{"op":"Add","path":"members","value":[{"value":"%s"},{"value":"%s"}]},
                 {"op":"Remove","path":"members","value":[{"value":"%s"}]}]""".formatted(GRACE, ALAN, ADA));
        assertEquals(Set.of(GRACE, ALAN), patch.apply(Set.of(ADA)));
    }

    @Test
    void oktaRemovesByAValueFilterAndRenamesWithoutPath() {
        ScimGroupPatch patch = patch("""
                [{"op":"remove","path":"members[value eq \\"%s\\"]"},
                 {"op":"replace","value":{"id":"x","displayName":"Engineers"}}]""".formatted(ADA));
        assertEquals(Set.of(GRACE), patch.apply(Set.of(ADA, GRACE)));
        assertEquals("Engineers", patch.displayName());
    }

    @Test
    void replaceSetsTheMembersAndRemoveWithoutValueClearsThem() {
        assertEquals(Set.of(ALAN), patch("[{\"op\":\"replace\",\"path\":\"members\",\"value\":[{\"value\":\"" + ALAN + "\"}]}]")
                .apply(Set.of(ADA, GRACE)));
        assertEquals(Set.of(), patch("[{\"op\":\"remove\",\"path\":\"members\"}]").apply(Set.of(ADA, GRACE)));
    }

    @Test
    void badShapesAreClearErrors() {
        assertEquals("invalidValue", assertThrows(ScimException.class,
                () -> patch("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"not-an-id\"}]}]")).scimType());
        assertEquals("invalidPath", assertThrows(ScimException.class,
                () -> patch("[{\"op\":\"remove\",\"path\":\"members[display eq \\\"Ada\\\"]\"}]")).scimType());
        assertEquals("invalidPath", assertThrows(ScimException.class,
                () -> patch("[{\"op\":\"add\",\"path\":\"owners\",\"value\":[]}]")).scimType());
        assertEquals("invalidFilter", assertThrows(ScimException.class,
                () -> patch("[{\"op\":\"remove\",\"path\":\"members[value eq]\"}]")).scimType());
        assertEquals("invalidSyntax", assertThrows(ScimException.class, () -> patch("[{\"op\":\"merge\",\"path\":\"members\"}]")).scimType());
    }
}
