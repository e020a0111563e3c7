package dev.gatehouse;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The package map: one package per capability, each importing only the packages below it, and no cycles.
 * The order, bottom first, is the one docs/architecture.md, "Package map", gives.
 */
class ArchitectureTest {

    /** Packages still to come take their place here with their first class: events after audit, provisioning last. */
    static final List<String> BOTTOM_UP = List.of("platform", "mail", "caller", "audit", "tenants", "access", "lockout", "users",
            "mfa", "tokens", "sessions", "tenantadmin", "signin", "invitations", "oauth", "v1import");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.gatehouse");

    @Test
    void everyPackageIsInTheLayering() {
        Set<String> packages = MAIN.stream()
                .map(c -> c.getPackageName().substring("dev.gatehouse.".length()).split("\\.")[0])
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

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("dev.gatehouse.(*)..").should().beFreeOfCycles().check(MAIN);
    }
}
