package dev.gatehouse.users;

/** Passwords: 12 to 128 characters, no composition rules (NIST SP 800-63B, the old core's rule). */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;
    /** A password presented to be checked (login, current password) may be longer: it is refused, not truncated. */
    public static final int MAX_PRESENTED_LENGTH = 1024;

    private PasswordPolicy() {
    }
}
