package dev.gatehouse.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The endpoint index of the documentation and the OpenAPI document (the one the build validates and generates
 * the test client from) list the same operations. An index row is a table row whose first cell holds one or
 * more methods ({@code GET / PATCH}) and one or more paths in code spans; a path not starting with
 * {@code /api/}, {@code /.well-known/}, {@code /account/}, {@code /health} or {@code /scim/} is relative to {@code /api/v1};
 * a query string is not part of the path.
 */
class EndpointIndexTest {

    static final Path INDEX = Path.of("docs/api.md");
    static final String SECTION = "## Endpoint index";
    static final Path OPENAPI = Path.of("src/main/resources/META-INF/openapi.yaml");

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Pattern ROW = Pattern.compile("^\\|([^|]*)\\|.*\\|\\s*$");
    private static final Pattern METHOD = Pattern.compile("\\b(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS)\\b");
    private static final Pattern PATH = Pattern.compile("`(/[^`?\\s]*)(?:\\?[^`]*)?`");

    @Test
    void indexAndOpenApiDocumentAgree() throws IOException {
        Set<String> documented = openApiOperations();
        Set<String> indexed = indexOperations();
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(indexed);
        Set<String> extra = new TreeSet<>(indexed);
        extra.removeAll(documented);
        List<String> problems = new ArrayList<>();
        missing.forEach(op -> problems.add("in " + OPENAPI + ", not in the index of " + INDEX + ": " + op));
        extra.forEach(op -> problems.add("in the index of " + INDEX + ", not in " + OPENAPI + ": " + op));
        assertTrue(problems.isEmpty(), problems.size() + " disagreements:\n  " + String.join("\n  ", problems));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> openApiOperations() throws IOException {
        Map<String, Object> document;
        try (Reader in = Files.newBufferedReader(OPENAPI)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        Set<String> operations = new TreeSet<>();
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        paths.forEach((path, item) -> ((Map<String, Object>) item).keySet().stream()
                .filter(METHODS::contains)
                .forEach(method -> operations.add(method.toUpperCase() + " " + path)));
        return operations;
    }

    private static Set<String> indexOperations() throws IOException {
        Set<String> operations = new TreeSet<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(INDEX)) {
            if (line.startsWith("## ") || line.startsWith("# ")) {
                inSection = line.strip().equals(SECTION);
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (!inSection || !row.matches()) {
                continue;
            }
            String cell = row.group(1);
            List<String> methods = METHOD.matcher(cell).results().map(m -> m.group(1)).toList();
            List<String> paths = PATH.matcher(cell).results().map(m -> absolute(m.group(1))).toList();
            for (String method : methods) {
                for (String path : paths) {
                    operations.add(method + " " + path);
                }
            }
        }
        assertTrue(!operations.isEmpty(), "no endpoint index in section \"" + SECTION + "\" of " + INDEX);
        return operations;
    }

    private static String absolute(String path) {
        for (String root : List.of("/api/", "/.well-known/", "/account/", "/health", "/scim/")) {
            if (path.startsWith(root)) {
                return path;
            }
        }
        return "/api/v1" + path;
    }
}
