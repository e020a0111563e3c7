package dev.gatehouse.users;

import java.util.Locale;

/** Email addresses are compared and stored trimmed and in lower case, wherever they come from. */
public final class Emails {

    private Emails() {
    }

    public static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
