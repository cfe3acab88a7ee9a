package io.clvanalytics.engine.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.clvanalytics.engine", importOptions = ImportOption.DoNotIncludeTests.class)
class EngineArchitectureTest {

    @ArchTest
    static final ArchRule the_engine_does_not_depend_on_web_code = noClasses()
            .that().resideInAPackage("io.clvanalytics.engine..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.javalin..", "org.pac4j..", "jakarta.servlet..", "javax.servlet..", "io.clvanalytics.server..")
            .because("the engine jar is embedded in reporting servers that have no web stack of ours");

    @ArchTest
    static final ArchRule engine_feature_packages_are_free_of_cycles = slices()
            .matching("io.clvanalytics.engine.(*)..")
            .should().beFreeOfCycles()
            .because("each feature (ingest, quality, clv, retention, lifecycle, jasper, cli) must be understandable and testable on its own");

    @ArchTest
    static final ArchRule only_the_cli_uses_picocli = noClasses()
            .that().resideOutsideOfPackage("io.clvanalytics.engine.cli..")
            .should().dependOnClassesThat().resideInAPackage("picocli..")
            .because("features are libraries first; the command line is one thin front end over them");
}
