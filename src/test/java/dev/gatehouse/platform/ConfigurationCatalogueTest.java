package dev.gatehouse.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's tables and the configuration catalogue name the same keys with the same
 * defaults. A table row is `| variable(s) | default | meaning |`; the default is the first `code` span of its
 * cell, or unset when the cell has none. Rows naming a provider placeholder (`<NAME>`) are the OAuth
 * providers' own keys, which the catalogue cannot list.
 */
class ConfigurationCatalogueTest {

    private static final Pattern ROW = Pattern.compile("^\\|([^|]*)\\|([^|]*)\\|[^|]*\\|\\s*$");
    private static final Pattern VARIABLE = Pattern.compile("`(GATEHOUSE_[A-Z0-9_]+)`");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    @Test
    void documentationAndCatalogueAgree() throws IOException {
        assertEquals(catalogue(), documented());
    }

    /** Environment variable name to default ("" for unset), of every gatehouse key in the catalogue. */
    private static Map<String, String> catalogue() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(Settings.CATALOGUE)) {
            properties.load(in);
        }
        Map<String, String> defaults = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("gatehouse.")) {
                defaults.put(Settings.environmentName(key), properties.getProperty(key).strip());
            }
        }
        return defaults;
    }

    private static Map<String, String> documented() throws IOException {
        Map<String, String> defaults = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("docs/configuration.md"))) {
            Matcher row = ROW.matcher(line);
            if (!row.matches() || row.group(1).contains("<NAME>")) {
                continue;
            }
            Matcher defaultValue = CODE.matcher(row.group(2));
            String value = defaultValue.find() ? defaultValue.group(1) : "";
            Matcher variable = VARIABLE.matcher(row.group(1));
            while (variable.find()) {
                defaults.put(variable.group(1), value);
            }
        }
        return defaults;
    }
}
