package dev.gatehouse.testing;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** JWTs and RSA keys for tests: encoding, RS256 signing, key pairs, PEM keys. */
public final class TestJwts {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private TestJwts() {
    }

    /** Base64url without padding, as JWTs, JWKs and PKCE use it. */
    public static String base64Url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    /** A JWT part: the JSON's UTF-8 bytes, base64url. */
    public static String base64Url(JsonObject json) {
        return base64Url(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * header.claims.signature, signed SHA256withRSA whatever the header's alg says: tests forge headers on
     * purpose.
     */
    public static String rs256(JsonObject header, JsonObject claims, PrivateKey key) {
        String input = base64Url(header) + "." + base64Url(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + base64Url(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh 2048-bit RSA key pair. */
    public static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RSA private key from a PKCS#8 PEM file ("-----BEGIN PRIVATE KEY-----"), as the server stores its own. */
    public static PrivateKey readPkcs8Pem(Path pem) {
        try {
            String base64 = Files.readString(pem).replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
