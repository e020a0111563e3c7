package dev.gatehouse.oauth;

import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Function;

/**
 * Verifies an OpenID Connect ID token (OIDC Core §3.1.3.7): RS256 signature by a key of the provider's JWKS,
 * iss, aud (and azp when there are several audiences), exp, and the nonce this flow sent. Only RS256: the
 * algorithm Google, Microsoft and nearly every provider sign with; "none" and HMAC are refused.
 */
final class IdTokens {

    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final String GOOGLE_ISSUER = "https://accounts.google.com";
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    private IdTokens() {
    }

    /** The token's claims once every check has passed. */
    static JsonObject verify(String idToken, Function<String, RSAPublicKey> keyById, String issuer, String clientId,
                             String nonce, Instant now) {
        String[] parts = idToken == null ? new String[0] : idToken.split("\\.", -1);
        if (parts.length != 3) {
            throw invalid("not a signed JWT");
        }
        JsonObject header = json(parts[0]);
        JsonObject claims = json(parts[1]);
        if (!"RS256".equals(header.getString("alg", null))) {
            throw invalid("algorithm " + header.getString("alg", null) + " is not accepted");
        }
        RSAPublicKey key = keyById.apply(header.getString("kid", ""));
        if (key == null || !signatureValid(parts, key)) {
            throw invalid("signature not valid");
        }
        String expectedIssuer = issuer.contains("{tenantid}")
                ? issuer.replace("{tenantid}", claims.getString("tid", "")) : issuer;
        String actualIssuer = claims.getString("iss", null);
        // Google documents both forms of its issuer in ID tokens.
        if (GOOGLE_ISSUER.equals(expectedIssuer) && "accounts.google.com".equals(actualIssuer)) {
            actualIssuer = GOOGLE_ISSUER;
        }
        if (!expectedIssuer.equals(actualIssuer)) {
            throw invalid("wrong issuer");
        }
        if (!audienceMatches(claims, clientId)) {
            throw invalid("wrong audience");
        }
        if (!(claims.get("exp") instanceof JsonNumber exp) || Instant.ofEpochSecond(exp.longValue()).plus(CLOCK_SKEW).isBefore(now)) {
            throw invalid("expired");
        }
        if (claims.getString("sub", "").isEmpty()) {
            throw invalid("no subject");
        }
        // The nonce binds the token to this flow: a code injected from another flow fails here.
        if (!MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8),
                claims.getString("nonce", "").getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(ProblemType.OAUTH_NONCE_MISMATCH,
                    "The ID token does not belong to this sign-in (nonce mismatch).");
        }
        return claims;
    }

    private static boolean audienceMatches(JsonObject claims, String clientId) {
        JsonValue aud = claims.get("aud");
        if (aud instanceof JsonString single) {
            return clientId.equals(single.getString());
        }
        if (aud instanceof JsonArray many && many.contains(Json.createValue(clientId))) {
            return many.size() == 1 || clientId.equals(claims.getString("azp", null));
        }
        return false;
    }

    private static boolean signatureValid(String[] parts, RSAPublicKey key) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(BASE64URL.decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static JsonObject json(String base64Url) {
        try (JsonReader reader = Json.createReader(new StringReader(
                new String(BASE64URL.decode(base64Url), StandardCharsets.UTF_8)))) {
            return reader.readObject();
        } catch (JsonException | IllegalArgumentException e) {
            throw invalid("not a JWT");
        }
    }

    /** A token that fails verification is the provider's (or an attacker's) fault, not the caller's: 502. */
    private static ProblemException invalid(String why) {
        return new ProblemException(ProblemType.OAUTH_INVALID_ID_TOKEN, "The identity provider's ID token was refused: " + why + ".");
    }
}
