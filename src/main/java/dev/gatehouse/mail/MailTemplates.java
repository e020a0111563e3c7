package dev.gatehouse.mail;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 */
@ApplicationScoped
public class MailTemplates {

    static final String FALLBACK_LOCALE = "en";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final Map<String, String> cache = new ConcurrentHashMap<>();

    @Inject
    @ConfigProperty(name = "gatehouse.mail.locale")
    String locale;

    /** A rendered mail: subject, text and HTML body. */
    public record Rendered(String subject, String text, String html) {
    }

    public Rendered render(String template, Map<String, String> values) {
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
