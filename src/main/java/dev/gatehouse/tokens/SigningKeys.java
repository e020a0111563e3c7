package dev.gatehouse.tokens;

import dev.gatehouse.platform.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * The RSA key pair access tokens are signed with. From gatehouse.jwt.private-key.location (a PKCS#8 PEM
 * file; the public key is derived from it) when configured; otherwise generated once into
 * ${gatehouse.data.dir}/jwt/ and reused on later starts. Loaded once per process: the JWT config source and
 * the token issuer share it.
 */
public final class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());
    private static volatile SigningKeys instance;

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;
    private final String keyId;

    private SigningKeys(RSAPrivateCrtKey privateKey) throws GeneralSecurityException {
        this.privateKey = privateKey;
        this.publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        this.keyId = thumbprint(publicKey);
    }

    public static SigningKeys get() {
        SigningKeys keys = instance;
        if (keys == null) {
            synchronized (SigningKeys.class) {
                if (instance == null) {
                    instance = load();
                }
                keys = instance;
            }
        }
        return keys;
    }

    public RSAPrivateCrtKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    /** The RFC 7638 thumbprint of the public key: the "kid" of tokens and of the JWKS entry. */
    public String keyId() {
        return keyId;
    }

    private static SigningKeys load() {
        try {
            String configured = Settings.get("gatehouse.jwt.private-key.location");
            if (configured != null) {
                LOG.info("JWT signing key from " + configured);
                return new SigningKeys(readPrivateKey(Path.of(configured)));
            }
            Path generated = Path.of(Settings.get("gatehouse.data.dir")).toAbsolutePath().resolve("jwt/private-key.pem");
            if (Files.exists(generated)) {
                LOG.info("JWT signing key from " + generated);
                return new SigningKeys(readPrivateKey(generated));
            }
            return new SigningKeys(generate(generated));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the JWT signing key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Invalid JWT signing key", e);
        }
    }

    private static RSAPrivateCrtKey readPrivateKey(Path pem) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pem, StandardCharsets.US_ASCII)
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static RSAPrivateCrtKey generate(Path pem) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.createDirectories(pem.getParent());
        String text = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(pem, text, StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's permissions protect it
        }
        LOG.warning("No JWT signing key configured (gatehouse.jwt.private-key.location): generated a new RSA key pair in "
                + pem + ". Every instance must use the same key: configure it explicitly in production.");
        return (RSAPrivateCrtKey) pair.getPrivate();
    }

    private static String thumbprint(RSAPublicKey key) throws GeneralSecurityException {
        String canonical = "{\"e\":\"" + base64Url(key.getPublicExponent().toByteArray())
                + "\",\"kty\":\"RSA\",\"n\":\"" + base64Url(key.getModulus().toByteArray()) + "\"}";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** Base64url of an unsigned big-endian integer, without the sign byte BigInteger may add (RFC 7518 §6.3.1). */
    static String base64Url(byte[] twosComplement) {
        int start = twosComplement.length > 1 && twosComplement[0] == 0 ? 1 : 0;
        byte[] unsigned = java.util.Arrays.copyOfRange(twosComplement, start, twosComplement.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(unsigned);
    }
}
