package io.clvanalytics.engine.jasper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine jar as a JasperReports plugin: a separate JVM whose classpath holds only JasperReports
 * (with its own dependencies), the DuckDB driver and the packaged engine jar (no server, no CLI
 * libraries, no templates jar) compiles a JRXML in the {@code clv} query language and fills it
 * against a store named by the CLV_STORE parameter, the way Jaspersoft Studio or JasperReports
 * Server would. Runs after {@code package} (failsafe), when the jar exists.
 */
class ClvPluginIT {

    private static final String JRXML = """
            <jasperReport name="plugin-check" language="java" pageWidth="595" pageHeight="842" columnWidth="555" leftMargin="20" rightMargin="20" topMargin="20" bottomMargin="20">
            	<parameter name="segment" class="java.lang.String"/>
            	<parameter name="minClv" class="java.lang.Double"/>
            	<query language="clv"><![CDATA[customer_scores segment=$P{segment} min_clv=$P{minClv}]]></query>
            	<field name="customer" class="java.lang.String"/>
            	<field name="segment" class="java.lang.String"/>
            	<field name="clv" class="java.lang.Double"/>
            	<detail>
            		<band height="14">
            			<element kind="textField" x="0" y="0" width="100" height="14">
            				<expression><![CDATA[$F{customer}]]></expression>
            			</element>
            			<element kind="textField" x="100" y="0" width="100" height="14">
            				<expression><![CDATA[$F{segment}]]></expression>
            			</element>
            			<element kind="textField" x="200" y="0" width="100" height="14" pattern="0.00">
            				<expression><![CDATA[$F{clv}]]></expression>
            			</element>
            		</band>
            	</detail>
            </jasperReport>
            """;

    private static final String DRIVER = """
            import java.util.HashMap;
            import java.util.Map;
            import net.sf.jasperreports.engine.JasperCompileManager;
            import net.sf.jasperreports.engine.JasperFillManager;
            import net.sf.jasperreports.engine.JasperPrint;
            import net.sf.jasperreports.engine.JasperReport;
            import net.sf.jasperreports.engine.export.JRCsvExporter;
            import net.sf.jasperreports.export.SimpleExporterInput;
            import net.sf.jasperreports.export.SimpleWriterExporterOutput;

            public class PluginDriver {
                public static void main(String[] args) throws Exception {
                    JasperReport report = JasperCompileManager.compileReport(args[0]);
                    Map<String, Object> params = new HashMap<>();
                    params.put("CLV_STORE", args[1]);
                    params.put("segment", "loyal");
                    params.put("minClv", 100.0);
                    JasperPrint print = JasperFillManager.fillReport(report, params);
                    JRCsvExporter csv = new JRCsvExporter();
                    csv.setExporterInput(new SimpleExporterInput(print));
                    csv.setExporterOutput(new SimpleWriterExporterOutput(args[2]));
                    csv.exportReport();
                    System.out.println("pages=" + print.getPages().size());
                }
            }
            """;

    @Test
    void a_jvm_with_only_jasperreports_and_the_engine_jar_compiles_and_fills_a_clv_template(@TempDir Path dir) throws Exception {
        Path engineJar = Path.of(System.getProperty("clv.engine.jar"));
        assertTrue(Files.isRegularFile(engineJar), "the packaged engine jar " + engineJar + " exists");
        List<String> classpath = new ArrayList<>(Arrays.asList(
                Files.readString(Path.of(System.getProperty("clv.plugin.classpath"))).strip().split(File.pathSeparator)));
        for (String entry : classpath) {
            String name = Path.of(entry).getFileName().toString();
            assertFalse(name.matches("(javalin|jetty|pac4j|picocli|hipparchus|poi|clv-).*"), "not a plugin dependency: " + name);
        }
        assertTrue(classpath.stream().anyMatch(e -> e.contains("jasperreports-7")), "JasperReports is there");
        assertTrue(classpath.stream().anyMatch(e -> e.contains("duckdb_jdbc")), "the DuckDB driver is there");

        Path store = dir.resolve("plugin.duckdb");
        ReportFixture.create(store, 200, true).close();
        Path jrxml = Files.writeString(dir.resolve("plugin-check.jrxml"), JRXML);
        Path driverDir = Files.createDirectories(dir.resolve("driver"));
        Path source = Files.writeString(driverDir.resolve("PluginDriver.java"), DRIVER);

        String jrOnly = String.join(File.pathSeparator, classpath);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-cp", jrOnly, "-d", driverDir.toString(), source.toString()),
                "the driver compiles against JasperReports alone");

        Path csv = dir.resolve("out.csv");
        String childClasspath = driverDir + File.pathSeparator + engineJar + File.pathSeparator + jrOnly;
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Xmx256m", "-cp", childClasspath, "PluginDriver",
                jrxml.toString(), store.toString(), csv.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM finishes");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("pages="), output);

        List<String> rows = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        assertFalse(rows.isEmpty(), "the clv query returned rows");
        for (String row : rows) {
            String[] cells = row.split(",");
            assertEquals("loyal", cells[1], row);
            assertTrue(Double.parseDouble(cells[2]) >= 100.0, row);
        }
    }
}
