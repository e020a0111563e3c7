package dev.gatehouse.users;

import java.util.Locale;

/** Email addresses are compared and stored trimmed and in lower case, wherever they come from. */
public final class Emails {

    private Emails() {
    }

    public static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    /** The part after the last '@', normalised: what a tenant proves it owns (enterprise SSO). */
    public static String domainOf(String email) {
        String normalized = normalize(email);
        return normalized.substring(normalized.lastIndexOf('@') + 1);
    }
}
