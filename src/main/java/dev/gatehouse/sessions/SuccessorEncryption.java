package dev.gatehouse.sessions;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The reuse interval's secret (docs/concepts.md, "Tokens"): a rotation keeps its successor refresh token on the
 * rotated-out token's row, encrypted (AES-256-GCM) under a key derived from the rotated-out token itself,
 * HMAC-SHA256 keyed with it. The database holds only SHA-256 of that token, from which the key cannot be
 * derived, so reading the database yields no live token; only whoever presents the rotated-out token can
 * read its successor. No server secret is involved: none to share between instances, none whose leak would
 * open every chain. The successor's id is the associated data: the ciphertext opens on its own row only.
 */
final class SuccessorEncryption {

    private static final byte[] KEY_LABEL = "gatehouse refresh-token successor key v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SuccessorEncryption() {
    }

    /** Nonce followed by ciphertext and tag. */
    static byte[] seal(String rotatedOut, UUID successorId, String successor) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, rotatedOut, successorId, nonce);
            byte[] sealed = cipher.doFinal(successor.getBytes(StandardCharsets.US_ASCII));
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The successor, or empty when the ciphertext was not sealed with this token for this successor. */
    static Optional<String> open(String rotatedOut, UUID successorId, byte[] sealed) {
        if (sealed.length <= NONCE_BYTES) {
            return Optional.empty();
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, rotatedOut, successorId, Arrays.copyOf(sealed, NONCE_BYTES));
            byte[] successor = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            return Optional.of(new String(successor, StandardCharsets.US_ASCII));
        } catch (AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Cipher cipher(int mode, String rotatedOut, UUID successorId, byte[] nonce) throws GeneralSecurityException {
        Mac kdf = Mac.getInstance("HmacSHA256");
        kdf.init(new SecretKeySpec(rotatedOut.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        SecretKeySpec key = new SecretKeySpec(kdf.doFinal(KEY_LABEL), "AES");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(successorId.toString().getBytes(StandardCharsets.US_ASCII));
        return cipher;
    }
}
