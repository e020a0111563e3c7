package dev.gatehouse.sso;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.inject.Inject;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Looks for a domain's proof in DNS: a TXT record at {@value #RECORD_PREFIX}&lt;domain&gt; holding
 * {@value #VALUE_PREFIX}&lt;proof&gt;, asked of gatehouse.sso.dns-resolver (host or host:port) or, when that is
 * empty, of the system's resolvers. A lookup that fails (timeout, SERVFAIL) says nothing either way: only an
 * answer without the record (NXDOMAIN, or no matching TXT) counts as absent.
 */
@ApplicationScoped
public class DomainProofs {

    static final String RECORD_PREFIX = "_gatehouse-challenge.";
    static final String VALUE_PREFIX = "gatehouse-domain-verification=";
    private static final Logger LOG = Logger.getLogger(DomainProofs.class.getName());

    public enum Outcome { FOUND, ABSENT, UNKNOWN }

    @Inject
    @ConfigProperty(name = "gatehouse.sso.dns-resolver", defaultValue = "")
    String resolverSetting;

    private Resolver resolver;

    @PostConstruct
    void init() {
        try {
            String setting = resolverSetting == null ? "" : resolverSetting.strip();
            if (setting.isEmpty()) {
                resolver = new ExtendedResolver();
            } else {
                int colon = setting.lastIndexOf(':');
                SimpleResolver simple = new SimpleResolver(colon > 0 ? setting.substring(0, colon) : setting);
                if (colon > 0) {
                    simple.setPort(Integer.parseInt(setting.substring(colon + 1)));
                }
                resolver = simple;
            }
            resolver.setTimeout(Duration.ofSeconds(5));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalStateException("gatehouse.sso.dns-resolver is not host or host:port: " + resolverSetting, e);
        }
    }

    /** The record's name for a domain: what the tenant's DNS admin creates. */
    public static String recordName(String domain) {
        return RECORD_PREFIX + domain;
    }

    public static String recordValue(String proof) {
        return VALUE_PREFIX + proof;
    }

    /** Whether the domain's TXT records hold this proof right now (no cache: every call asks the server). */
    public Outcome look(String domain, String proof) {
        try {
            Record question = Record.newRecord(Name.fromString(recordName(domain) + "."), Type.TXT, DClass.IN);
            Message answer = resolver.send(Message.newQuery(question));
            int rcode = answer.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return Outcome.ABSENT;
            }
            if (rcode != Rcode.NOERROR) {
                LOG.warning("DNS look-up of " + recordName(domain) + " answered " + Rcode.string(rcode));
                return Outcome.UNKNOWN;
            }
            String wanted = recordValue(proof);
            List<Record> records = answer.getSection(Section.ANSWER);
            for (Record record : records) {
                // a long value may come split into several strings of one record (RFC 7208 §3.3 does the same)
                if (record instanceof TXTRecord txt && String.join("", txt.getStrings()).equals(wanted)) {
                    return Outcome.FOUND;
                }
            }
            return Outcome.ABSENT;
        } catch (TextParseException e) {
            return Outcome.ABSENT; // not a name DNS can hold: nobody can publish the record
        } catch (IOException e) {
            LOG.warning("DNS look-up of " + recordName(domain) + " failed: " + e);
            return Outcome.UNKNOWN;
        }
    }
}
