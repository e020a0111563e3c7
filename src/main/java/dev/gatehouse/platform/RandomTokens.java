package dev.gatehouse.platform;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable tokens: 256 random bits, base64url without padding (43 characters), safe in URLs and JSON. */
public final class RandomTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private RandomTokens() {
    }

    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }
}
