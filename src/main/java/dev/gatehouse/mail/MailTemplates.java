package dev.gatehouse.mail;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The mails' texts: for each template a subject, a plain text and an HTML body under
 * {@code mail/templates/<locale>/} in the resources, with {@code {{name}}} placeholders. A locale without the
 * template falls back to English. Values are escaped for HTML in the HTML body, and any control character
 * (a line break in a name, say) becomes a space in the subject, so no value can add a header.
 * <p>
 * Only {@code {{link}}} is a link, and only Gatehouse writes it. Every other value may be text someone typed (a
 * tenant's name, a person's full name) and reaches inboxes that did not choose it, in an invitation, say: mail
 * clients turn URL-looking text into links, which would let anyone mail a link of theirs from our sender. Such
 * values are made {@link #unlinkable}. Leaving the names out of those mails would be safer still, but a
 * recipient must recognise who invites them to what, or they learn to follow links they cannot place.
 */
@ApplicationScoped
public class MailTemplates {

    static final String FALLBACK_LOCALE = "en";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    /** The one value that is a link: Gatehouse's own, to its pages. */
    private static final String LINK = "link";
    /**
     * Where auto-linking breaks: after the characters that make text look like a URL, a domain or an address
     * (the full stop and its look-alikes that browsers take for one in a host name, colon, slashes, at sign).
     */
    private static final Pattern LINK_PUNCTUATION = Pattern.compile("([.\u3002\uFF0E\uFF61:\uFF1A/\\\\@\uFF20])");
    /** U+200B ZERO WIDTH SPACE: invisible, but a word break to the linkifiers of mail clients. */
    private static final String ZERO_WIDTH_SPACE = "\u200B";

    private final Map<String, String> cache = new ConcurrentHashMap<>();

    @Inject
    @ConfigProperty(name = "gatehouse.mail.locale")
    String locale;

    /** A rendered mail: subject, text and HTML body. */
    public record Rendered(String subject, String text, String html) {
    }

    public Rendered render(String template, Map<String, String> given) {
        Map<String, String> values = new HashMap<>();
        given.forEach((name, value) -> values.put(name, name.equals(LINK) ? value : unlinkable(value)));
        String subject = fill(source(template + ".subject"), values, MailTemplates::oneLine).strip();
        return new Rendered(subject, fill(source(template + ".txt"), values, v -> v),
                fill(source(template + ".html"), values, MailTemplates::escapeHtml));
    }

    private String source(String file) {
        return cache.computeIfAbsent(locale + "/" + file, key -> {
            String text = read(key);
            if (text == null) {
                text = read(FALLBACK_LOCALE + "/" + file);
            }
            if (text == null) {
                throw new IllegalStateException("No mail template " + file);
            }
            return text;
        });
    }

    private static String read(String path) {
        try (InputStream in = MailTemplates.class.getClassLoader().getResourceAsStream("mail/templates/" + path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fill(String template, Map<String, String> values, UnaryOperator<String> escape) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            if (value == null) {
                throw new IllegalStateException("No value for {{" + placeholder.group(1) + "}}");
            }
            placeholder.appendReplacement(out, Matcher.quoteReplacement(escape.apply(value)));
        }
        placeholder.appendTail(out);
        return out.toString();
    }

    /**
     * The text as it reads, with a zero-width space after each dot, colon, slash and at sign: "evil.example" or
     * "https://evil.example" is no longer a host name or a URL to a mail client's linkifier (nor a mail
     * address), in the plain text and in the HTML. Escaping for HTML comes on top, in the HTML body.
     */
    static String unlinkable(String value) {
        return LINK_PUNCTUATION.matcher(value).replaceAll("$1" + ZERO_WIDTH_SPACE);
    }

    static String oneLine(String value) {
        return CONTROL.matcher(value).replaceAll(" ");
    }

    static String escapeHtml(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
