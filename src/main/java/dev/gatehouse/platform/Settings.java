package dev.gatehouse.platform;

import java.util.Locale;

/**
 * Settings read before MicroProfile Config is available to the application (the JWT config source and
 * the signing keys it serves). Same lookup as MicroProfile Config: a system property, then the
 * environment variable (gatehouse.data.dir is GATEHOUSE_DATA_DIR).
 */
public final class Settings {

    private Settings() {
    }

    public static String get(String key, String fallback) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
