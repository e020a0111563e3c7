package dev.gatehouse.launcher;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run command's SMTP server when none is configured: GreenMail on a free port, which keeps every mail
 * and prints its recipient, subject and links (the first part: the plain text) to the console, so the account flows work with no setup.
 */
final class DevMailSink implements AutoCloseable {

    static final String USER = "gatehouse";
    static final String PASSWORD = "dev";
    private static final Pattern LINK = Pattern.compile("https?://\\S+");

    private final GreenMail greenMail;
    final int port;

    private DevMailSink(GreenMail greenMail, int port) {
        this.greenMail = greenMail;
        this.port = port;
    }

    static DevMailSink start() {
        int port = freePort();
        GreenMail greenMail = new GreenMail(new ServerSetup(port, "localhost", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, PASSWORD));
        greenMail.start();
        DevMailSink sink = new DevMailSink(greenMail, port);
        Thread.ofPlatform().daemon().name("dev-mail-sink").start(sink::printArrivals);
        return sink;
    }

    /** The environment of the server's mail resource (server-config/post-boot-commands.asadmin). */
    Map<String, String> environment() {
        return Map.of("GATEHOUSE_MAIL_HOST", "localhost", "GATEHOUSE_MAIL_PORT", Integer.toString(port),
                "GATEHOUSE_MAIL_USER", USER, "GATEHOUSE_MAIL_PASSWORD", PASSWORD,
                "GATEHOUSE_MAIL_FROM", "no-reply@gatehouse.localhost", "GATEHOUSE_MAIL_STARTTLS", "false");
    }

    private void printArrivals() {
        int printed = 0;
        while (true) {
            MimeMessage[] messages = greenMail.getReceivedMessages();
            for (; printed < messages.length; printed++) {
                print(messages[printed]);
            }
            try {
                Thread.sleep(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void print(MimeMessage message) {
        try {
            StringBuilder out = new StringBuilder("\n[mail] to " + message.getAllRecipients()[0] + ": " + message.getSubject());
            Object content = message.getContent();
            String text = content instanceof Multipart parts ? (String) parts.getBodyPart(0).getContent() : (String) content;
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                out.append("\n[mail]   ").append(link.group());
            }
            System.out.println(out.append('\n'));
        } catch (MessagingException | IOException e) {
            System.out.println("[mail] unreadable message: " + e);
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
