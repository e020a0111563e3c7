package dev.gatehouse.it;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gatehouse.testing.Polling;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The SMTP server of the integration tests: GreenMail in the test JVM on the port Maven reserved
 * (it.smtp.port), with the user and password the server's mail resource signs in with (pom.xml). Every
 * server instance sends here; the tests read what arrived, and stop and restart it for the outage test.
 */
public class MailServer implements BeforeAllCallback {

    static final int PORT = Integer.getInteger("it.smtp.port");
    private static final Pattern TOKEN = Pattern.compile("#token=([A-Za-z0-9_-]{43})");
    private static final Pattern LINK = Pattern.compile("(https?://\\S+#token=[A-Za-z0-9_-]{43})");

    private static volatile GreenMail greenMail;

    /** One mail as it arrived: recipient, subject, the plain text and the HTML part, the raw headers. */
    record Mail(String to, String subject, String text, String html, String raw) {

        String token() {
            Matcher token = TOKEN.matcher(text);
            if (!token.find()) {
                throw new AssertionError("no token in the mail " + subject + ": " + text);
            }
            Secrets.remember("mail link token", token.group(1));
            return token.group(1);
        }

        String link() {
            Matcher link = LINK.matcher(text);
            if (!link.find()) {
                throw new AssertionError("no link in the mail " + subject + ": " + text);
            }
            return link.group(1);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(MailServer.class, key -> {
            start();
            return (AutoCloseable) MailServer::stop;
        });
    }

    static synchronized void start() {
        GreenMail server = new GreenMail(new ServerSetup(PORT, "localhost", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("gatehouse", "it-mail-secret"));
        server.start();
        greenMail = server;
    }

    static synchronized void stop() {
        greenMail.stop();
    }

    /** The mails to this address so far (they stay until the server is restarted). */
    static List<Mail> mailsTo(String recipient) {
        return Arrays.stream(greenMail.getReceivedMessages()).map(MailServer::mail)
                .filter(m -> m.to().equalsIgnoreCase(recipient)).toList();
    }

    /** The token of every link in every mail received so far (LogSecretsChecks). */
    static List<String> allTokens() {
        return Arrays.stream(greenMail.getReceivedMessages()).map(MailServer::mail)
                .flatMap(m -> TOKEN.matcher(m.text()).results().map(r -> r.group(1))).toList();
    }

    /** The first mail to this address whose subject contains the text, waiting up to 20 s for it. */
    static Mail awaitMail(String recipient, String subjectContains) {
        return awaitMail(recipient, subjectContains, 1);
    }

    /** The {@code nth} such mail (1 = the first), waiting up to 20 s for it. */
    static Mail awaitMail(String recipient, String subjectContains, int nth) {
        return Polling.awaitPresent(Duration.ofSeconds(20), Duration.ofMillis(100),
                "mail number " + nth + " to " + recipient + " with subject containing '" + subjectContains + "'", () -> {
                    List<Mail> matching = mailsTo(recipient).stream().filter(m -> m.subject().contains(subjectContains)).toList();
                    return matching.size() >= nth ? Optional.of(matching.get(nth - 1)) : Optional.empty();
                });
    }

    private static Mail mail(MimeMessage message) {
        try {
            String to = message.getRecipients(Message.RecipientType.TO)[0].toString();
            String text = null;
            String html = null;
            if (message.getContent() instanceof Multipart parts) {
                for (int i = 0; i < parts.getCount(); i++) {
                    var part = parts.getBodyPart(i);
                    if (part.isMimeType("text/plain")) {
                        text = (String) part.getContent();
                    } else if (part.isMimeType("text/html")) {
                        html = (String) part.getContent();
                    }
                }
            } else {
                text = (String) message.getContent();
            }
            return new Mail(to, message.getSubject(), text, html, GreenMailUtil.getHeaders(message));
        } catch (MessagingException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
