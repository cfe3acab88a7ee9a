package io.clvanalytics.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.clvanalytics.spark", importOptions = ImportOption.DoNotIncludeTests.class)
class SparkModuleArchitectureTest {

    @ArchTest
    static final ArchRule the_spark_module_does_not_depend_on_web_code = noClasses()
            .that().resideInAPackage("io.clvanalytics.spark..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.clvanalytics.server..", "io.javalin..", "org.pac4j..", "jakarta.servlet..", "javax.servlet..")
            .because("the Spark job runs on cluster workers beside the engine's library code, never with the web application");

    @ArchTest
    static final ArchRule the_spark_module_implements_no_model_of_its_own = noClasses()
            .that().resideInAPackage("io.clvanalytics.spark..")
            .should().dependOnClassesThat().resideInAnyPackage("org.hipparchus..", "org.apache.commons.numbers..")
            .because("every model, fit and prediction comes from the engine's clv package; the Spark module only moves data");
}
