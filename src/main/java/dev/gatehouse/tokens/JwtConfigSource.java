package dev.gatehouse.tokens;

import dev.gatehouse.platform.Settings;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tells MicroProfile JWT how to verify Gatehouse's own tokens: the public half of {@link SigningKeys},
 * RS256 only, and the configured issuer and audience. Registered through META-INF/services.
 */
public class JwtConfigSource implements ConfigSource {

    public static final String ISSUER_KEY = "gatehouse.jwt.issuer";
    public static final String AUDIENCE_KEY = "gatehouse.jwt.audience";

    private static final String PUBLIC_KEY = "mp.jwt.verify.publickey";
    private static final Set<String> NAMES = Set.of(PUBLIC_KEY, "mp.jwt.verify.publickey.algorithm",
            "mp.jwt.verify.issuer", "mp.jwt.verify.audiences");

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
            case PUBLIC_KEY -> Base64.getEncoder().encodeToString(SigningKeys.get().publicKey().getEncoded());
            case "mp.jwt.verify.publickey.algorithm" -> "RS256";
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
