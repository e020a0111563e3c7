package dev.gatehouse.platform.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * One catalogue of problem types: the enum, the OpenAPI document's {@code ProblemType} schema and the table of
 * docs/api.md list the same types, statuses and titles, and no problem URI is written anywhere but in the enum
 * (a throw site cannot name a type outside it: ProblemException takes only a {@link ProblemType}).
 */
class ProblemCatalogueTest {

    private static final Path OPENAPI = Path.of("src/main/resources/META-INF/openapi.yaml");
    private static final Path DOCS = Path.of("docs/api.md");
    private static final Pattern DOC_ROW = Pattern.compile("^\\| `([a-z-]+)` \\| (\\d{3}) \\| ([^|]+) \\|.*\\|$");

    private static List<String> catalogue() {
        return Arrays.stream(ProblemType.values()).map(t -> t.slug() + " " + t.status() + " " + t.title()).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void openApiPublishesTheCatalogue() throws IOException {
        Map<String, Object> document;
        try (Reader reader = Files.newBufferedReader(OPENAPI)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("schemas");
        List<String> published = (List<String>) ((Map<String, Object>) schemas.get("ProblemType")).get("enum");
        assertEquals(Arrays.stream(ProblemType.values()).map(ProblemType::uri).toList(), published);
    }

    @Test
    void docsListTheCatalogue() throws IOException {
        String section = Files.readString(DOCS).split("#### Problem types", 2)[1].split("\n#", 2)[0];
        List<String> documented = new ArrayList<>();
        for (String line : section.split("\n")) {
            Matcher row = DOC_ROW.matcher(line.strip());
            if (row.matches()) {
                documented.add(row.group(1) + " " + row.group(2) + " " + row.group(3).strip());
            }
        }
        assertEquals(catalogue(), documented);
    }

    @Test
    void noProblemUriIsWrittenOutsideTheCatalogue() throws IOException {
        Path catalogueSource = Path.of("src/main/java/dev/gatehouse/platform/problems/ProblemType.java");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
            offenders = files.filter(Files::isRegularFile)
                    .filter(f -> !f.equals(catalogueSource) && !f.equals(OPENAPI))
                    .filter(f -> read(f).contains(ProblemType.URI_PREFIX))
                    .map(Path::toString).toList();
        }
        assertTrue(offenders.isEmpty(), "problem URIs written outside ProblemType: " + offenders);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return ""; // a binary resource holds no problem URI
        }
    }
}
