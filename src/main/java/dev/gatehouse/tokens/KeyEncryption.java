package dev.gatehouse.tokens;

import dev.gatehouse.platform.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
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
 * Seals the signing keys' private halves at rest, as mfa/SecretCipher seals TOTP secrets: AES-256-GCM (12-byte
 * nonce first) with the key of gatehouse.jwt.key-encryption-key (base64 of 32 bytes). Without it, a key is
 * generated into ${gatehouse.data.dir}/jwt/key-encryption-key on first start with a warning, fine for one
 * instance; it is published with a hard link, which fails if the file exists, so instances first started at
 * once on a shared data directory all read the one that won.
 */
@ApplicationScoped
public class KeyEncryption {

    private static final Logger LOG = Logger.getLogger(KeyEncryption.class.getName());
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretKeySpec key;

    @PostConstruct
    void loadKey() {
        try {
            String configured = Settings.get("gatehouse.jwt.key-encryption-key");
            byte[] bytes = configured != null && !configured.isBlank()
                    ? Base64.getDecoder().decode(configured.strip()) : generatedKey();
            if (bytes.length != 32) {
                throw new IllegalStateException("gatehouse.jwt.key-encryption-key must be the base64 of 32 bytes");
            }
            key = new SecretKeySpec(bytes, "AES");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the signing-key encryption key", e);
        }
    }

    private static byte[] generatedKey() throws IOException {
        Path file = Path.of(Settings.get("gatehouse.data.dir")).toAbsolutePath().resolve("jwt/key-encryption-key");
        if (!Files.exists(file)) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            Files.createDirectories(file.getParent());
            Path written = Files.createTempFile(file.getParent(), "key-encryption-key", ".new");
            try {
                Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions protect it
            }
            Files.writeString(written, Base64.getEncoder().encodeToString(bytes), StandardCharsets.US_ASCII);
            try {
                publish(written, file);
                LOG.warning("No signing-key encryption key configured (gatehouse.jwt.key-encryption-key): generated one in "
                        + file + ". Every instance must use the same key: configure it explicitly in production.");
            } catch (FileAlreadyExistsException e) {
                // another instance won: use its key
            } finally {
                Files.deleteIfExists(written);
            }
        }
        return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
    }

    /** A hard link never replaces a file; where there are none, a move without replacing (not atomic). */
    private static void publish(Path written, Path file) throws IOException {
        try {
            Files.createLink(file, written);
        } catch (UnsupportedOperationException e) {
            Files.move(written, file);
        }
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
            throw new IllegalStateException("Cannot encrypt a signing key", e);
        }
    }

    byte[] decrypt(byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, stored, 0, NONCE_BYTES));
            return cipher.doFinal(Arrays.copyOfRange(stored, NONCE_BYTES, stored.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt a signing key: was gatehouse.jwt.key-encryption-key changed?", e);
        }
    }
}
