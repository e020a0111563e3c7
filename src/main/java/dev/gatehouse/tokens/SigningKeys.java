package dev.gatehouse.tokens;

import dev.gatehouse.caller.VerificationKeys;
import dev.gatehouse.platform.Settings;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Signing key material: new key pairs (RSA 2048 for RS256, EC P-256 for ES256), the key pair of a PKCS#8 PEM
 * file (the key file of deployments from before keys were kept in the database), kids (RFC 7638 thumbprints)
 * and the JWK of a public key.
 */
public final class SigningKeys {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private SigningKeys() {
    }

    public static KeyPair generate(String algorithm) {
        try {
            if (algorithm.equals("ES256")) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate a " + algorithm + " signing key", e);
        }
    }

    /**
     * The key file to import as the first key: gatehouse.jwt.private-key.location, or the key an earlier version
     * generated into the data directory; null when there is neither.
     */
    static Path keyFileToImport() {
        String configured = Settings.get("gatehouse.jwt.private-key.location");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path generated = Path.of(Settings.get("gatehouse.data.dir")).toAbsolutePath().resolve("jwt/private-key.pem");
        return Files.exists(generated) ? generated : null;
    }

    /** The RSA key pair of a PKCS#8 PEM private key file; the public key is derived from it. */
    static KeyPair readRsaPem(Path pem) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pem, StandardCharsets.US_ASCII)
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        PublicKey publicKey = rsa.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        return new KeyPair(publicKey, privateKey);
    }

    static PrivateKey privateKey(String algorithm, byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(algorithm.equals("ES256") ? "EC" : "RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A stored signing key is not a valid " + algorithm + " private key", e);
        }
    }

    /** The RFC 7638 thumbprint of the public key: the "kid" of its tokens and of its JWKS entry. */
    public static String keyId(PublicKey key) {
        JsonObject jwk = publicJwk(key);
        String canonical = key instanceof ECPublicKey
                ? "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + jwk.getString("x") + "\",\"y\":\"" + jwk.getString("y") + "\"}"
                : "{\"e\":\"" + jwk.getString("e") + "\",\"kty\":\"RSA\",\"n\":\"" + jwk.getString("n") + "\"}";
        try {
            return BASE64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWKS entry of a published key. */
    static JsonObject jwk(VerificationKeys.PublishedKey key) {
        return Json.createObjectBuilder(publicJwk(key.publicKey()))
                .add("use", "sig").add("alg", key.algorithm()).add("kid", key.kid()).build();
    }

    private static JsonObject publicJwk(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            return Json.createObjectBuilder().add("kty", "EC").add("crv", "P-256")
                    .add("x", unsigned(ec.getW().getAffineX(), 32)).add("y", unsigned(ec.getW().getAffineY(), 32)).build();
        }
        RSAPublicKey rsa = (RSAPublicKey) key;
        return Json.createObjectBuilder().add("kty", "RSA")
                .add("n", unsigned(rsa.getModulus(), 0)).add("e", unsigned(rsa.getPublicExponent(), 0)).build();
    }

    /**
     * Base64url of an unsigned big-endian integer (RFC 7518 §6.3.1): without the sign byte BigInteger may add,
     * and left-padded to {@code length} bytes when given (EC coordinates are always 32 bytes, §6.2.1.2).
     */
    private static String unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        byte[] magnitude = Arrays.copyOfRange(bytes, start, bytes.length);
        if (magnitude.length < length) {
            byte[] padded = new byte[length];
            System.arraycopy(magnitude, 0, padded, length - magnitude.length, magnitude.length);
            magnitude = padded;
        }
        return BASE64URL.encodeToString(magnitude);
    }
}
