package dev.gatehouse.platform;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * New primary keys: UUID version 7 (RFC 9562), time-ordered, so inserts land at the end of the
 * primary-key index instead of at random pages, and ids do not reveal how many rows exist.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static UUID newId() {
        return newIdAt(System.currentTimeMillis());
    }

    /** A new id ordered at another time than now: a row brought from elsewhere (an imported event) keeps its place. */
    public static UUID newIdAt(long millis) {
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | 0x7000L | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** A path segment that is not a UUID names nothing: null, so the caller answers 404. */
    public static UUID parseOrNull(String value) {
        try {
            return value == null || value.length() != 36 ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
