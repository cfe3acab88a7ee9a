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
    static final ArchRule the_thin_plugin_jar_reads_a_clv_server_with_the_jdk_http_client_and_contains_no_web_framework = noClasses()
            .that().resideInAPackage("io.clvanalytics.engine..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.javalin..", "org.eclipse.jetty..", "org.pac4j..", "gg.jte..", "io.micrometer..",
                    "org.apache.hc..", "org.apache.http..", "okhttp3..", "io.clvanalytics.server..")
            .because("the engine jar is the JasperReports plugin: it sits next to JasperReports Server's or Studio's own"
                    + " libraries and asks a CLV server for rows over HTTP with java.net.http; the server's web stack stays in the server");

    @ArchTest
    static final ArchRule the_engine_does_not_depend_on_spark = noClasses()
            .that().resideInAPackage("io.clvanalytics.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..")
            .because("Spark is an optional module (engine-spark) with Spark as a provided dependency: the engine jar must load"
                    + " and score without Spark's jars on the class path");

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

    @ArchTest
    static final ArchRule schedules_take_now_only_from_the_engines_clock_and_never_sleep = noClasses()
            .that().resideInAPackage("io.clvanalytics.engine.schedule..")
            .should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(java.time.LocalDateTime.class, "now")
            .orShould().callMethod(java.time.ZonedDateTime.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(java.time.Clock.class, "systemUTC")
            .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
            .orShould().callMethod(Thread.class, "sleep", long.class)
            .because("slots, retries and missed-slot decisions are tested by advancing an injected clock, so every 'now' must come from it");
}
