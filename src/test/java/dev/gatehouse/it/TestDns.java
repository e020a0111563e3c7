package dev.gatehouse.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The DNS server the server under test asks for domain proofs (GATEHOUSE_SSO_DNS_RESOLVER, pom.xml): dnsmasq, a
 * real DNS server (Debian's dnsmasq-base, which the build installs), authoritative for .test on the port Maven
 * reserved (it.dns.port). dnsmasq reads TXT records only at start, so each change of the records restarts it.
 */
final class TestDns {

    static final int PORT = Integer.getInteger("it.dns.port");
    private static final Map<String, String> RECORDS = new LinkedHashMap<>();
    private static Process dnsmasq;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDns::stop));
    }

    private TestDns() {
    }

    /** Publishes (or replaces) the TXT record {@code name} with {@code value}. */
    static synchronized void publish(String name, String value) {
        RECORDS.put(name, value);
        restart();
    }

    static synchronized void remove(String name) {
        RECORDS.remove(name);
        restart();
    }

    private static synchronized void stop() {
        if (dnsmasq != null) {
            dnsmasq.destroy();
        }
    }

    private static void restart() {
        try {
            if (dnsmasq != null) {
                dnsmasq.destroy();
                dnsmasq.waitFor(5, TimeUnit.SECONDS);
            }
            Path config = Files.createTempFile("gatehouse-dns", ".conf");
            List<String> lines = new ArrayList<>();
            RECORDS.forEach((name, value) -> lines.add("txt-record=" + name + ",\"" + value + "\""));
            Files.write(config, lines);
            dnsmasq = new ProcessBuilder("/usr/sbin/dnsmasq", "--keep-in-foreground", "--port=" + PORT,
                    "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--local=/test/",
                    "--user=" + System.getProperty("user.name"), "--pid-file=", "--conf-file=" + config)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            awaitAnswers();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Until dnsmasq answers a query, whatever the answer. */
    private static void awaitAnswers() throws IOException {
        SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
        resolver.setPort(PORT);
        resolver.setTimeout(Duration.ofMillis(200));
        Message query = Message.newQuery(Record.newRecord(Name.fromString("test."), Type.SOA, DClass.IN));
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                resolver.send(query);
                return;
            } catch (IOException notYet) {
                // dnsmasq is still starting
            }
        }
        throw new IllegalStateException("dnsmasq did not answer on port " + PORT);
    }
}
