package dev.gatehouse.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Locale;
import java.util.Properties;

/**
 * The configuration catalogue (META-INF/microprofile-config.properties: every key with its default), for the
 * code that runs before MicroProfile Config is available to the application (the JWT config source and the
 * signing keys it serves) or outside the server (the run command). Same lookup as MicroProfile Config: a
 * system property, then the environment variable (gatehouse.data.dir is GATEHOUSE_DATA_DIR), then the
 * catalogue's default; an empty value is unset.
 */
public final class Settings {

    public static final String CATALOGUE = "META-INF/microprofile-config.properties";
    private static final Properties DEFAULTS = loadCatalogue();

    private Settings() {
    }

    /** The value of the key, or null when it is unset. */
    public static String get(String key) {
        if (!DEFAULTS.containsKey(key)) {
            throw new IllegalArgumentException(key + " is not in the configuration catalogue (" + CATALOGUE + ")");
        }
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(environmentName(key));
        }
        if (value == null) {
            value = DEFAULTS.getProperty(key);
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** gatehouse.jwt.private-key.location is GATEHOUSE_JWT_PRIVATE_KEY_LOCATION. */
    public static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * Gatehouse's own catalogue: the server's class loader also sees other libraries' files of the same name,
     * so it is the one that holds Gatehouse's keys.
     */
    private static Properties loadCatalogue() {
        try {
            for (URL url : Collections.list(Settings.class.getClassLoader().getResources(CATALOGUE))) {
                Properties properties = new Properties();
                try (InputStream in = url.openStream()) {
                    properties.load(in);
                }
                if (properties.containsKey("gatehouse.data.dir")) {
                    return properties;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the configuration catalogue " + CATALOGUE, e);
        }
        throw new IllegalStateException("Gatehouse's configuration catalogue " + CATALOGUE + " is missing");
    }
}
