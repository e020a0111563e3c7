package dev.gatehouse.it;

import dev.gatehouse.testing.TestDatabase;
import dev.gatehouse.testing.TestJwts;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Forged and tampered tokens for the security tests, made with the server's own current signing key (read from
 * the database) so that only the aspect under test is wrong. They carry no kid: the server tries its published keys.
 */
final class TestTokens {

    private TestTokens() {
    }

    static JsonObject validClaims(Api.Account account) {
        long now = Instant.now().getEpochSecond();
        return Json.createObjectBuilder()
                .add("iss", "gatehouse").add("aud", "gatehouse-api")
                .add("sub", account.userId()).add("upn", account.userId())
                .add("tenant_id", account.tenantId())
                .add("sid", claimsOf(account.accessToken()).getString("sid"))
                .add("groups", Json.createArrayBuilder().add("admin"))
                .add("token_version", 0)
                .add("iat", now).add("exp", now + 600)
                .add("jti", UUID.randomUUID().toString())
                .build();
    }

    /** The payload of a token, unverified. */
    static JsonObject claimsOf(String token) {
        byte[] payload = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
        return Json.createReader(new StringReader(new String(payload, StandardCharsets.UTF_8))).readObject();
    }

    static JsonObject with(JsonObject claims, String name, Object value) {
        var builder = Json.createObjectBuilder(claims);
        if (value instanceof Number n) {
            builder.add(name, n.longValue());
        } else {
            builder.add(name, value.toString());
        }
        return builder.build();
    }

    static String rs256(JsonObject claims) {
        return TestJwts.rs256(header("RS256"), claims, serverPrivateKey());
    }

    static String unsigned(JsonObject claims) {
        return TestJwts.base64Url(header("none")) + "." + TestJwts.base64Url(claims) + ".";
    }

    /** The classic key-confusion attack: HS256 with the server's public key as the HMAC secret. */
    static String hs256WithPublicKey(JsonObject claims) throws Exception {
        byte[] publicKey = serverPublicKeyPem().getBytes(StandardCharsets.US_ASCII);
        String input = TestJwts.base64Url(header("HS256")) + "." + TestJwts.base64Url(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicKey, "HmacSHA256"));
        return input + "." + TestJwts.base64Url(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static JsonObject header(String alg) {
        return Json.createObjectBuilder().add("alg", alg).add("typ", "JWT").build();
    }

    private static String serverPublicKeyPem() throws Exception {
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) serverPrivateKey();
        byte[] der = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())).getEncoded();
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
    }

    /** The current signing key, from the database, opened with the test run's GATEHOUSE_JWT_KEY_ENCRYPTION_KEY. */
    static PrivateKey serverPrivateKey() {
        try {
            byte[] sealed = (byte[]) TestDatabase.queryValue("select private_key from signing_keys where state = 'current'");
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(System.getenv("GATEHOUSE_JWT_KEY_ENCRYPTION_KEY")), "AES"),
                    new GCMParameterSpec(128, sealed, 0, 12));
            byte[] pkcs8 = cipher.doFinal(Arrays.copyOfRange(sealed, 12, sealed.length));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
