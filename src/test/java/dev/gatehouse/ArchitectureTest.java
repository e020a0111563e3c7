package dev.gatehouse;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.persistence.Entity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package map: one package per capability, each importing only the packages below it, and no cycles.
 * The order, bottom first, is the one docs/architecture.md, "Package map", gives.
 */
class ArchitectureTest {

    /** Packages still to come take their place here with their first class: events after audit. */
    static final List<String> BOTTOM_UP = List.of("platform", "mail", "caller", "audit", "tenants", "access", "lockout", "users",
            "mfa", "tokens", "serviceaccounts", "sessions", "tenantadmin", "signin", "invitations", "oauth", "sso", "openid", "v1import", "provisioning");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.gatehouse");

    @Test
    void everyPackageIsInTheLayering() {
        Set<String> packages = MAIN.stream()
                .map(ArchitectureTest::topPackage)
                .collect(Collectors.toSet());
        assertEquals(Set.copyOf(BOTTOM_UP), packages, "a new top-level package needs its place in BOTTOM_UP");
    }

    @Test
    void noPackageImportsOneAboveIt() {
        for (int i = 0; i < BOTTOM_UP.size() - 1; i++) {
            String[] above = BOTTOM_UP.subList(i + 1, BOTTOM_UP.size()).stream()
                    .map(name -> "dev.gatehouse." + name + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("dev.gatehouse." + BOTTOM_UP.get(i) + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(above)
                    .because(BOTTOM_UP.get(i) + " sits below " + String.join(", ", BOTTOM_UP.subList(i + 1, BOTTOM_UP.size())))
                    .check(MAIN);
        }
    }

    /**
     * JPQL names entities by their simple names, in strings ArchUnit cannot see. The same order holds for them,
     * except where declared here with the reason.
     */
    private static final Map<String, Set<String>> DECLARED_QUERIES_OF_ENTITIES_ABOVE = Map.of(
            // The caller is resolved below every capability so that each can inject CurrentUser; its queries
            // read what they summarise (CallerView): the account, membership, tenant, roles and live sessions, or
            // the service account, its roles and live credentials.
            "caller/CallerQuery.java", Set.of("users", "tenants", "access", "sessions", "serviceaccounts"));

    private static final Pattern ENTITY_IN_JPQL = Pattern.compile("\\b(?:from|join|update)\\s+([A-Z][A-Za-z]+)\\b");

    @Test
    void queriesNameOnlyEntitiesOfTheirPackageOrBelow() throws IOException {
        Map<String, String> packageOfEntity = MAIN.stream().filter(c -> c.isAnnotatedWith(Entity.class))
                .collect(Collectors.toMap(c -> c.getSimpleName(), ArchitectureTest::topPackage));
        Path sources = Path.of("src/main/java/dev/gatehouse");
        List<String> violations = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(f -> f.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String relative = sources.relativize(file).toString();
            String own = relative.split("/")[0];
            Matcher entity = ENTITY_IN_JPQL.matcher(Files.readString(file));
            Set<String> above = new TreeSet<>();
            while (entity.find()) {
                String entityPackage = packageOfEntity.get(entity.group(1));
                if (entityPackage != null && BOTTOM_UP.indexOf(entityPackage) > BOTTOM_UP.indexOf(own)) {
                    above.add(entityPackage);
                }
            }
            if (!above.equals(DECLARED_QUERIES_OF_ENTITIES_ABOVE.getOrDefault(relative, Set.of()))) {
                violations.add(relative + " queries entities of " + above);
            }
        }
        assertEquals(List.of(), violations);
    }

    private static String topPackage(JavaClass type) {
        return type.getPackageName().substring("dev.gatehouse.".length()).split("\\.")[0];
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("dev.gatehouse.(*)..").should().beFreeOfCycles().check(MAIN);
    }
}
