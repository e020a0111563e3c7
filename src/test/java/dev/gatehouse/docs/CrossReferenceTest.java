package dev.gatehouse.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every reference to a document names a file that exists and, where it names a heading, a heading of that
 * file. Two kinds of reference are read: Markdown links in the documentation ({@code [text](path#anchor)},
 * relative targets only), and citations in prose and in source comments: a document's path (a README, a file
 * under docs/ or bench/journal/) followed by quoted headings ({@code README.md, "Heading"}; a heading's text up
 * to a colon or an opening parenthesis will do) or by an anchor ({@code path.md#anchor}). A bare
 * {@code README} means the root README.md. Anchors are GitHub's: the heading in lower case, punctuation
 * dropped, spaces turned into hyphens. Applied Flyway migrations are not read: they cannot change.
 */
class CrossReferenceTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    /** The documentation: its Markdown links and its citations are checked. */
    private static final List<String> DOC_ROOTS = List.of("README.md", "docs", "bench/README.md", "bench/journal",
            "docker/README.md", "liquibase-alternative-notes");

    /** Source that cites the documentation in comments. */
    private static final List<String> SOURCE_ROOTS = List.of("src", "server-config", "docker", "bench", "pom.xml",
            ".ci");
    private static final Pattern SOURCE_FILE = Pattern.compile(
            ".*\\.(java|properties|sql|yaml|yml|html|xml|asadmin|sh|py|lua|options)$|.*/Dockerfile$|.*/\\.ci/run$");

    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern CITATION = Pattern.compile(
            "((?:bench/|docker/|liquibase-alternative-notes/)?README(?:\\.md)?|(?:docs|bench/journal)/[A-Za-z0-9_./-]+\\.md)"
                    + "(#[A-Za-z0-9_-]+)?((?:'s)?(?:,?\\s(?:sections?\\s)?\"[^\"\\n]{1,100}\")+)?");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"\\n]{1,100})\"");
    private static final Pattern COMMENT_BREAK = Pattern.compile("\\s*\\R\\s*(?:\\*(?!/)|//|#|--)?\\s*");

    private final Map<Path, Set<String>> anchors = new HashMap<>();

    @Test
    void everyReferenceFindsItsFileAndHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : files(DOC_ROOTS, p -> p.toString().endsWith(".md"))) {
            String text = withoutCodeBlocks(Files.readString(doc));
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    continue; // http:, https:, mailto:
                }
                check(doc, doc.getParent(), target, null, broken);
            }
            citations(doc, text, broken);
        }
        for (Path source : files(SOURCE_ROOTS, p -> SOURCE_FILE.matcher(p.toString().replace('\\', '/')).matches())) {
            if (source.endsWith("CrossReferenceTest.java")) {
                continue;
            }
            citations(source, Files.readString(source), broken);
        }
        assertTrue(broken.isEmpty(), broken.size() + " broken references:\n  " + String.join("\n  ", broken));
    }

    private void citations(Path file, String text, List<String> broken) {
        String joined = COMMENT_BREAK.matcher(text).replaceAll(" ");
        Matcher citation = CITATION.matcher(joined);
        while (citation.find()) {
            int before = citation.start() - 1;
            if (before >= 0 && (Character.isLetterOrDigit(joined.charAt(before)) || joined.charAt(before) == '/'
                    || joined.charAt(before) == '.')) {
                continue; // part of a longer path or word
            }
            String name = citation.group(1);
            String document = name.endsWith(".md") ? name : name + ".md";
            if (citation.group(2) != null) {
                check(file, ROOT, document + citation.group(2), null, broken);
            } else if (citation.group(3) != null) {
                Matcher quoted = QUOTED.matcher(citation.group(3));
                while (quoted.find()) {
                    check(file, ROOT, document, quoted.group(1), broken);
                }
            } else {
                check(file, ROOT, document, null, broken);
            }
        }
    }

    /** target: a path relative to base, with an optional #anchor; heading: a heading's text, or null. */
    private void check(Path from, Path base, String target, String heading, List<String> broken) {
        String where = ROOT.relativize(from) + ": ";
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = pathPart.isEmpty() ? from : base.resolve(pathPart).normalize();
        if (!Files.exists(file)) {
            broken.add(where + target + " (no such file)");
            return;
        }
        if (anchor == null && heading == null) {
            return;
        }
        if (!file.toString().endsWith(".md")) {
            broken.add(where + target + " (an anchor into a file that is not Markdown)");
            return;
        }
        Set<String> known = anchors.computeIfAbsent(file, CrossReferenceTest::anchorsOf);
        if (anchor != null && !known.contains(anchor)) {
            broken.add(where + target + " (no such heading)");
        }
        if (heading != null && !known.contains(slug(heading))
                && known.stream().noneMatch(a -> a.startsWith(slug(heading) + "-") && headingStarts(file, heading))) {
            broken.add(where + pathPart + ", \"" + heading + "\" (no such heading)");
        }
    }

    /** A citation may name a heading by its text up to a colon or a parenthesis: "Issue 17" for "Issue 17: ...". */
    private static boolean headingStarts(Path markdown, String heading) {
        try {
            for (String line : withoutCodeBlocks(Files.readString(markdown)).split("\\R")) {
                Matcher m = HEADING.matcher(line);
                if (m.matches() && (m.group(1).startsWith(heading + ":") || m.group(1).startsWith(heading + " ("))) {
                    return true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return false;
    }

    private static Set<String> anchorsOf(Path markdown) {
        Set<String> result = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        try {
            for (String line : withoutCodeBlocks(Files.readString(markdown)).split("\\R")) {
                Matcher heading = HEADING.matcher(line);
                if (heading.matches()) {
                    String slug = slug(heading.group(1));
                    int n = seen.merge(slug, 1, Integer::sum);
                    result.add(n == 1 ? slug : slug + "-" + (n - 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /** GitHub's heading anchor. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\s_-]", "").strip().replaceAll("\\s", "-");
    }

    /** Fenced code blocks blanked out, line count kept. */
    private static String withoutCodeBlocks(String markdown) {
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\\R", -1)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                out.append('\n');
                continue;
            }
            out.append(fenced ? "" : line).append('\n');
        }
        return out.toString();
    }

    private static List<Path> files(List<String> roots, java.util.function.Predicate<Path> wanted) throws IOException {
        List<Path> result = new ArrayList<>();
        for (String root : roots) {
            Path start = ROOT.resolve(root);
            if (!Files.exists(start)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(start)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> !ROOT.relativize(p).startsWith("bench/results"))
                        // applied migrations never change (Flyway checksums them, comments included)
                        .filter(p -> !ROOT.relativize(p).startsWith("src/main/resources/db/migration"))
                        .filter(wanted)
                        .forEach(result::add);
            }
        }
        return result;
    }
}
