package dev.gatehouse.platform;

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
 * A key that seals secrets at rest (TOTP secrets, the signing keys' private halves) with AES-256-GCM, the
 * 12-byte nonce first: the base64 of 32 bytes from its setting, or, when that is unset, one generated into the
 * data directory on first start with a warning (fine for one instance). A generated key is published with a
 * hard link, which fails if the file exists, so instances first started at once on a shared data directory all
 * read the one that won, never each their own.
 */
public final class EncryptionKey {

    private static final Logger LOG = Logger.getLogger(EncryptionKey.class.getName());
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String setting;
    private final SecretKeySpec key;

    private EncryptionKey(String setting, byte[] bytes) {
        if (bytes.length != 32) {
            throw new IllegalStateException(setting + " must be the base64 of 32 bytes");
        }
        this.setting = setting;
        this.key = new SecretKeySpec(bytes, "AES");
    }

    /** The key of {@code setting}, or the one generated at {@code fileInDataDir} (e.g. "mfa/encryption-key"). */
    public static EncryptionKey of(String setting, String fileInDataDir) {
        try {
            String configured = Settings.get(setting);
            return new EncryptionKey(setting, configured != null && !configured.isBlank()
                    ? Base64.getDecoder().decode(configured.strip()) : generated(setting, fileInDataDir));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the key of " + setting, e);
        }
    }

    private static byte[] generated(String setting, String fileInDataDir) throws IOException {
        Path file = Path.of(Settings.get("gatehouse.data.dir")).toAbsolutePath().resolve(fileInDataDir);
        if (!Files.exists(file)) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            Files.createDirectories(file.getParent());
            Path written = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".new");
            try {
                Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions protect it
            }
            Files.writeString(written, Base64.getEncoder().encodeToString(bytes), StandardCharsets.US_ASCII);
            try {
                publish(written, file);
                LOG.warning("No key configured (" + setting + "): generated one in " + file
                        + ". Every instance must use the same key: configure it explicitly in production.");
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

    public byte[] seal(byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal with the key of " + setting, e);
        }
    }

    public byte[] open(byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, stored, 0, NONCE_BYTES));
            return cipher.doFinal(Arrays.copyOfRange(stored, NONCE_BYTES, stored.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot open what was sealed: was " + setting + " changed?", e);
        }
    }
}
