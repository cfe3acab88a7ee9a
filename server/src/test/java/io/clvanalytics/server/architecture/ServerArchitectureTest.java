package io.clvanalytics.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.clvanalytics.engine.Engine;

@AnalyzeClasses(packages = "io.clvanalytics.server", importOptions = ImportOption.DoNotIncludeTests.class)
class ServerArchitectureTest {

    @ArchTest
    static final ArchRule only_the_store_package_uses_jdbc = noClasses()
            .that().resideOutsideOfPackage("io.clvanalytics.server.store..")
            .should().dependOnClassesThat().resideInAPackage("java.sql..")
            .because("the store package is the server's one data-access place: queries, connections and"
                    + " transactions live there so they can be bounded, cached and reviewed in one spot");

    @ArchTest
    static final ArchRule only_the_store_package_opens_connections_or_transactions = noClasses()
            .that().resideOutsideOfPackage("io.clvanalytics.server.store..")
            .should().callMethod(Engine.class, "connect")
            .orShould().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                    com.tngtech.archunit.core.domain.properties.HasName.Predicates.name("inTransaction"))
                    .and(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                            com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                                    com.tngtech.archunit.base.DescribedPredicate.describe("Engine",
                                            o -> o.isEquivalentTo(Engine.class))))))
            .because("every store access of the server goes through io.clvanalytics.server.store");

    @ArchTest
    static final ArchRule feature_packages_are_free_of_cycles = slices()
            .matching("io.clvanalytics.server.(*)..")
            .should().beFreeOfCycles()
            .because("features depend downwards (feature -> web -> auth -> store), never in a circle");

    @ArchTest
    static final ArchRule the_store_package_knows_nothing_of_the_web = noClasses()
            .that().resideInAPackage("io.clvanalytics.server.store..")
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.pac4j..", "gg.jte..",
                    "io.clvanalytics.server.web..", "io.clvanalytics.server.auth..")
            .because("data access must be usable from jobs and the scheduler, without a request");
}
