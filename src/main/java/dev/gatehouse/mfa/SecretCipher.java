package dev.gatehouse.mfa;

import dev.gatehouse.platform.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.logging.Logger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts TOTP secrets at rest: AES-256-GCM with the key of gatehouse.mfa.encryption-key (base64 of 32
 * bytes). Without it, a key is generated into ${gatehouse.data.dir}/mfa/encryption-key on first start, as the
 * signing key is: fine for one instance, and every instance must share one key.
 */
@ApplicationScoped
public class SecretCipher {

    private static final Logger LOG = Logger.getLogger(SecretCipher.class.getName());
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretKeySpec key;

    @PostConstruct
    void loadKey() {
        try {
            String configured = Settings.get("gatehouse.mfa.encryption-key");
            byte[] bytes = configured != null ? Base64.getDecoder().decode(configured.strip()) : generatedKey();
            if (bytes.length != 32) {
                throw new IllegalStateException("gatehouse.mfa.encryption-key must be the base64 of 32 bytes");
            }
            key = new SecretKeySpec(bytes, "AES");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the MFA encryption key", e);
        }
    }

    private static byte[] generatedKey() throws IOException {
        Path file = Path.of(Settings.get("gatehouse.data.dir")).toAbsolutePath().resolve("mfa/encryption-key");
        if (Files.exists(file)) {
            return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        Files.createDirectories(file.getParent());
        Files.writeString(file, Base64.getEncoder().encodeToString(bytes), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's permissions protect it
        }
        LOG.warning("No MFA encryption key configured (gatehouse.mfa.encryption-key): generated one in " + file
                + ". Every instance must use the same key: configure it explicitly in production.");
        return bytes;
    }

    byte[] encrypt(byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt an MFA secret", e);
        }
    }

    byte[] decrypt(byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, stored, 0, NONCE_BYTES));
            return cipher.doFinal(Arrays.copyOfRange(stored, NONCE_BYTES, stored.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt an MFA secret: was gatehouse.mfa.encryption-key changed?", e);
        }
    }
}
