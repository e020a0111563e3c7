package dev.gatehouse.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.testing.TestJwts;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class IdTokensTest {

    private static final String ISSUER = "https://idp.example";
    private static final KeyPair KEYS = TestJwts.newRsaKeyPair();
    private static final Function<String, RSAPublicKey> JWKS = kid -> "k1".equals(kid) ? (RSAPublicKey) KEYS.getPublic() : null;
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void acceptsAValidToken() {
        JsonObject claims = IdTokens.verify(token("RS256", "k1", claims()), JWKS, ISSUER, "client", "n-1", NOW);
        assertEquals("user-1", claims.getString("sub"));
    }

    @Test
    void refusesWrongIssuerAudienceExpiryKeyAndAlgorithm() {
        assertRefused(ProblemType.OAUTH_INVALID_ID_TOKEN, token("RS256", "k1", claims().add("iss", "https://evil.example")));
        assertRefused(ProblemType.OAUTH_INVALID_ID_TOKEN, token("RS256", "k1", claims().add("aud", "another-client")));
        assertRefused(ProblemType.OAUTH_INVALID_ID_TOKEN, token("RS256", "k1", claims().add("aud", Json.createArrayBuilder().add("client").add("other"))));
        assertRefused(ProblemType.OAUTH_INVALID_ID_TOKEN, token("RS256", "k1", claims().add("exp", NOW.getEpochSecond() - 120)));
        assertRefused(ProblemType.OAUTH_INVALID_ID_TOKEN, token("RS256", "unknown-kid", claims()));
        assertRefused(ProblemType.OAUTH_INVALID_ID_TOKEN, token("none", "k1", claims()));
        String valid = token("RS256", "k1", claims());
        assertRefused(ProblemType.OAUTH_INVALID_ID_TOKEN, valid.substring(0, valid.lastIndexOf('.') + 1) + TestJwts.base64Url(new byte[256]));
        assertRefused(ProblemType.OAUTH_INVALID_ID_TOKEN, "not-a-jwt");
    }

    @Test
    void refusesAnotherFlowsNonceAsTheCallersError() {
        assertRefused(ProblemType.OAUTH_NONCE_MISMATCH, token("RS256", "k1", claims().add("nonce", "n-2")));
    }

    @Test
    void acceptsSeveralAudiencesWhenAuthorizedPartyIsUs() {
        IdTokens.verify(token("RS256", "k1", claims().add("aud", Json.createArrayBuilder().add("client").add("other"))
                .add("azp", "client")), JWKS, ISSUER, "client", "n-1", NOW);
    }

    @Test
    void fillsMicrosoftsTenantPlaceholderFromTheToken() {
        String template = "https://login.microsoftonline.com/{tenantid}/v2.0";
        IdTokens.verify(token("RS256", "k1", claims().add("iss", "https://login.microsoftonline.com/t-42/v2.0").add("tid", "t-42")),
                JWKS, template, "client", "n-1", NOW);
        assertThrows(ProblemException.class, () -> IdTokens.verify(token("RS256", "k1",
                claims().add("iss", "https://login.microsoftonline.com/t-42/v2.0").add("tid", "t-43")), JWKS, template, "client", "n-1", NOW));
    }

    @Test
    void acceptsGooglesIssuerWithoutScheme() {
        IdTokens.verify(token("RS256", "k1", claims().add("iss", "accounts.google.com")), JWKS,
                "https://accounts.google.com", "client", "n-1", NOW);
    }

    private static void assertRefused(ProblemType type, String token) {
        ProblemException e = assertThrows(ProblemException.class, () -> IdTokens.verify(token, JWKS, ISSUER, "client", "n-1", NOW));
        assertEquals(type, e.type());
    }

    private static JsonObjectBuilder claims() {
        return Json.createObjectBuilder().add("iss", ISSUER).add("aud", "client").add("sub", "user-1")
                .add("exp", NOW.getEpochSecond() + 300).add("iat", NOW.getEpochSecond()).add("nonce", "n-1");
    }

    /** Signed with the test key whatever alg says, so that "none" is refused for its header alone. */
    private static String token(String alg, String kid, JsonObjectBuilder claims) {
        return TestJwts.rs256(Json.createObjectBuilder().add("alg", alg).add("kid", kid).build(), claims.build(), KEYS.getPrivate());
    }
}
