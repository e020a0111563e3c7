package dev.gatehouse.tokens;

import dev.gatehouse.platform.Settings;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives MicroProfile JWT the configured issuer and audience, which its identity store needs to be created.
 * It verifies nothing: caller/VerifiedTokenCache verifies Gatehouse's tokens against the signing keys in the
 * database, by kid, because MP-JWT would read one key from configuration and keep it for minutes. Registered
 * through META-INF/services.
 */
public class JwtConfigSource implements ConfigSource {

    public static final String ISSUER_KEY = "gatehouse.jwt.issuer";
    public static final String AUDIENCE_KEY = "gatehouse.jwt.audience";

    private static final Set<String> NAMES = Set.of("mp.jwt.verify.issuer", "mp.jwt.verify.audiences");

    @Override
    public Set<String> getPropertyNames() {
        return NAMES;
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new java.util.HashMap<>();
        for (String name : NAMES) {
            properties.put(name, getValue(name));
        }
        return properties;
    }

    @Override
    public String getValue(String propertyName) {
        return switch (propertyName) {
            case "mp.jwt.verify.issuer" -> Settings.get(ISSUER_KEY);
            case "mp.jwt.verify.audiences" -> Settings.get(AUDIENCE_KEY);
            default -> null;
        };
    }

    @Override
    public String getName() {
        return "gatehouse-jwt";
    }

    @Override
    public int getOrdinal() {
        return 150;
    }
}
