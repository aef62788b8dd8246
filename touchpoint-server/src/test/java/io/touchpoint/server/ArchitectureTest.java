package io.touchpoint.server;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering docs/ARCHITECTURE.md describes, held for the production classes of every module on this test's class
 * path (core, the storage modules and the server): a rule broken here is a design decision to talk over, not a test to
 * adjust.
 */
class ArchitectureTest {
    /** The storage rooms: each owns its tables and reaches the others only through {@link #SHARED_PIECE}. */
    static final List<String> STORAGE_ROOMS = List.of("ingest", "eventlog", "identity", "attribution", "admin", "delivery", "erasure",
            "audit", "users", "exports");
    static final String JDBC = "io.touchpoint.storage.jdbc";
    static final String SHARED_PIECE = JDBC + ".ledger";
    static final String SQL_INFRASTRUCTURE = JDBC + ".sql";

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // the modules come as jars or class directories depending on the Maven phase; the contract suites are
                // test support, not production
                .withImportOption(location -> !location.contains("touchpoint-tests"))
                .importPackages("io.touchpoint");
    }

    @Test
    void everyModuleIsOnTheClassPath() {
        for (String p : List.of("io.touchpoint.core", JDBC, "io.touchpoint.storage.sqlite", "io.touchpoint.storage.postgres",
                "io.touchpoint.server")) {
            assertThat(production.stream().anyMatch(c -> c.getPackageName().startsWith(p))).as(p).isTrue();
        }
    }

    @Test
    void coreDoesNoInputOrOutput() {
        noClasses().that().resideInAPackage("io.touchpoint.core..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "java.net.http..",
                        "java.nio.file..", "java.nio.channels..", "org.eclipse.jetty..", "io.javalin..", "com.zaxxer..",
                        "org.sqlite..", "org.postgresql..", "io.touchpoint.storage..", "io.touchpoint.server..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.ServerSocket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.URLConnection")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.HttpURLConnection")
                .because("the core is the model and its rules: plain Java that every store and edge can run")
                .check(production);
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching("io.touchpoint.(**)").should().beFreeOfCycles().check(production);
    }

    @Test
    void storageRoomsReachEachOtherOnlyThroughTheSharedPiece() {
        for (String room : STORAGE_ROOMS) {
            String[] others = STORAGE_ROOMS.stream().filter(r -> !r.equals(room)).map(r -> JDBC + "." + r + "..")
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage(JDBC + "." + room + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("a room owns its tables; what two rooms share lives in " + SHARED_PIECE)
                    .allowEmptyShould(true)
                    .check(production);
        }
        noClasses().that().resideInAnyPackage(SHARED_PIECE + "..", SQL_INFRASTRUCTURE + "..")
                .should().dependOnClassesThat().resideInAnyPackage(STORAGE_ROOMS.stream().map(r -> JDBC + "." + r + "..")
                        .toArray(String[]::new))
                .because("the shared piece and the SQL infrastructure sit under the rooms")
                .allowEmptyShould(true)
                .check(production);
    }

    @Test
    void storageIsReachedOnlyThroughTheStoreContracts() {
        noClasses().that().resideInAPackage("io.touchpoint.server..")
                .should().dependOnClassesThat().resideInAnyPackage(JDBC + ".*..")
                .because("the server sees a store through core's contracts and the backends' factories")
                .check(production);
    }

    @Test
    void routesDoNotImportOtherRoutes() {
        classes().that().resideInAPackage("io.touchpoint.server..").and().haveSimpleNameEndingWith("Routes")
                .should(notDependOnAnotherRoutesClass())
                .because("what two routes share belongs in http/ or a feature's own non-route class")
                .check(production);
    }

    private static ArchCondition<JavaClass> notDependOnAnotherRoutesClass() {
        DescribedPredicate<JavaClass> routes = new DescribedPredicate<>("a Routes class") {
            @Override
            public boolean test(JavaClass c) {
                return c.getPackageName().startsWith("io.touchpoint.server")
                        && topLevel(c).getSimpleName().endsWith("Routes");
            }
        };
        return new ArchCondition<>("not depend on another Routes class") {
            @Override
            public void check(JavaClass route, ConditionEvents events) {
                route.getDirectDependenciesFromSelf().forEach(d -> {
                    JavaClass target = d.getTargetClass();
                    if (routes.test(target) && !topLevel(target).equals(topLevel(route))) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                });
            }
        };
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass t = c;
        while (t.getEnclosingClass().isPresent()) t = t.getEnclosingClass().get();
        return t;
    }
}
