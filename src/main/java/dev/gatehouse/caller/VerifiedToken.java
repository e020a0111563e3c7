package dev.gatehouse.caller;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.security.enterprise.CallerPrincipal;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A Gatehouse access token whose signature, issuer, audience and expiry have been checked against the
 * {@link VerificationKeys}: the request's user principal, as MicroProfile JWT's own would be. Gatehouse verifies
 * its tokens itself because MP-JWT reads its key from configuration and keeps it for minutes, where rotated
 * and revoked keys must take effect on every instance at once. Claims come back as MP-JWT gives them: the
 * registered string claims as String, times as Long, groups and aud as Set, any other claim as its JSON value.
 */
public final class VerifiedToken extends CallerPrincipal implements JsonWebToken {

    private static final Set<String> STRING_CLAIMS = Set.of("iss", "sub", "jti", "upn", "preferred_username", "typ");
    private static final Set<String> TIME_CLAIMS = Set.of("exp", "iat", "nbf", "auth_time");

    private final String rawToken;
    private final String kid;
    private final JsonObject claims;

    private VerifiedToken(String rawToken, String kid, JsonObject claims) {
        super(claims.containsKey("upn") ? claims.getString("upn", null) : claims.getString("sub", null));
        this.rawToken = rawToken;
        this.kid = kid;
        this.claims = claims;
    }

    /**
     * The token when it is well formed, signed with an accepted key in that key's algorithm (a token without a
     * kid is tried against every published key), issued by {@code issuer} for {@code audience} and not yet
     * expired; null otherwise.
     */
    static VerifiedToken verify(String raw, VerificationKeys keys, String issuer, String audience) {
        Signed signed = signed(raw, keys);
        try {
            return signed != null && claimsHold(signed.claims(), issuer, audience)
                    ? new VerifiedToken(raw, signed.kid(), signed.claims()) : null;
        } catch (RuntimeException e) {
            return null; // claims of the wrong type
        }
    }

    private record Signed(String kid, JsonObject claims) {
    }

    /**
     * The claims of a token signed by an accepted key in that key's algorithm, whatever they say (its expiry
     * unchecked): openid/'s id_token_hint, an ID token that may have expired. Null when the signature does not hold.
     */
    public static JsonObject signedClaims(String raw, VerificationKeys keys) {
        Signed signed = signed(raw, keys);
        return signed == null ? null : signed.claims();
    }

    private static Signed signed(String raw, VerificationKeys keys) {
        try {
            String[] parts = raw.split("\\.", -1);
            if (parts.length != 3) {
                return null;
            }
            JsonObject header = json(parts[0]);
            if (header.containsKey("crit")) {
                return null; // extensions we would have to understand (RFC 7515 §4.1.11): none are ours
            }
            String alg = header.getString("alg", "");
            String kid = header.containsKey("kid") ? header.getString("kid") : null;
            byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            List<VerificationKeys.PublishedKey> candidates = kid != null
                    ? (keys.accepted(kid) == null ? List.of() : List.of(keys.accepted(kid)))
                    : keys.published();
            for (VerificationKeys.PublishedKey key : candidates) {
                if (key.algorithm().equals(alg) && signatureHolds(key, signed, signature)) {
                    return new Signed(key.kid(), json(parts[1]));
                }
            }
            return null;
        } catch (RuntimeException e) {
            return null; // not base64url, not JSON, claims of the wrong type: not a token of ours
        }
    }

    private static boolean signatureHolds(VerificationKeys.PublishedKey key, byte[] signed, byte[] signature) {
        try {
            // JWS ES256 signatures are R || S (IEEE P1363), not DER
            Signature verifier = Signature.getInstance(key.algorithm().equals("ES256") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
            verifier.initVerify(key.publicKey());
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean claimsHold(JsonObject claims, String issuer, String audience) {
        JsonValue aud = claims.get("aud");
        boolean forUs = aud instanceof JsonString s ? s.getString().equals(audience)
                : aud instanceof JsonArray a && a.getValuesAs(JsonValue.class).stream()
                        .anyMatch(v -> v instanceof JsonString s && s.getString().equals(audience));
        long now = Instant.now().getEpochSecond();
        boolean started = !(claims.get("nbf") instanceof JsonValue nbf) || nbf instanceof JsonNumber n && n.longValueExact() <= now;
        return forUs && started && issuer.equals(claims.getString("iss", null)) && claims.get("exp") instanceof JsonNumber exp
                && now < exp.longValueExact() && claims.get("sub") instanceof JsonString;
    }

    private static JsonObject json(String part) {
        String text = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    /** The kid of the key that signed it: a cached token is used only while that key is accepted. */
    String kid() {
        return kid;
    }

    @Override
    public Set<String> getClaimNames() {
        Set<String> names = new HashSet<>(claims.keySet());
        names.add("raw_token");
        return names;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String name) {
        if (name.equals("raw_token")) {
            return (T) rawToken;
        }
        JsonValue value = claims.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (STRING_CLAIMS.contains(name) && value instanceof JsonString s) {
            return (T) s.getString();
        }
        if (TIME_CLAIMS.contains(name) && value instanceof JsonNumber n) {
            return (T) Long.valueOf(n.longValue());
        }
        if (name.equals("groups") || name.equals("aud")) {
            return (T) strings(value);
        }
        return (T) value;
    }

    private static Set<String> strings(JsonValue value) {
        if (value instanceof JsonString s) {
            return Set.of(s.getString());
        }
        Set<String> strings = new HashSet<>();
        if (value instanceof JsonArray array) {
            array.getValuesAs(JsonValue.class).forEach(v -> {
                if (v instanceof JsonString s) {
                    strings.add(s.getString());
                }
            });
        }
        return strings;
    }
}
