package dev.gatehouse.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Text people type reads the same in a mail but no longer looks like a URL, a host name or an address. */
class MailTemplatesTest {

    /** What linkifiers look for: a scheme, www., a dot (or a look-alike) or an at sign between word characters. */
    private static final Pattern LINKABLE = Pattern.compile("(?i)[a-z]+:/|www\\.\\w|\\w[.\u3002\uFF0E\uFF61@\uFF20]\\w");

    @Test
    void urlsHostNamesAndAddressesAreBrokenInvisibly() {
        for (String typed : List.of("https://evil.example/win", "www.evil.example", "claim@evil.example",
                "evil\u3002example", "evil\uFF0Eexample", "javascript:alert(1)", "Ann O'Neil & Co.")) {
            String rendered = MailTemplates.unlinkable(typed);
            assertFalse(LINKABLE.matcher(rendered).find(), typed + " -> " + rendered);
            assertEquals(typed, rendered.replace("\u200B", ""), "reads as typed");
        }
    }
}
