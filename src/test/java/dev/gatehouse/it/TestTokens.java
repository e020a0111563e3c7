package dev.gatehouse.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Forged and tampered tokens for the security tests, made with the server's own signing key (which the test
 * server generated into its data directory) so that only the aspect under test is wrong.
 */
final class TestTokens {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

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

    static String rs256(JsonObject claims) throws Exception {
        String input = encode(Json.createObjectBuilder().add("alg", "RS256").add("typ", "JWT").build()) + "." + encode(claims);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(serverPrivateKey());
        rsa.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64URL.encodeToString(rsa.sign());
    }

    static String unsigned(JsonObject claims) {
        return encode(Json.createObjectBuilder().add("alg", "none").add("typ", "JWT").build()) + "." + encode(claims) + ".";
    }

    /** The classic key-confusion attack: HS256 with the server's public key as the HMAC secret. */
    static String hs256WithPublicKey(JsonObject claims) throws Exception {
        byte[] publicKey = serverPublicKeyPem().getBytes(StandardCharsets.US_ASCII);
        String input = encode(Json.createObjectBuilder().add("alg", "HS256").add("typ", "JWT").build()) + "." + encode(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicKey, "HmacSHA256"));
        return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String encode(JsonObject json) {
        return B64URL.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String serverPublicKeyPem() throws Exception {
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) serverPrivateKey();
        byte[] der = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())).getEncoded();
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
    }

    private static PrivateKey serverPrivateKey() throws Exception {
        Path pem = TestServer.DATA_DIR.resolve("jwt/private-key.pem");
        String base64 = Files.readString(pem).replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
