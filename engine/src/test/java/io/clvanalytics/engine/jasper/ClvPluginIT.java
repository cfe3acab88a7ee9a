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
 * against a store named by the CLV_STORE parameter and through the JDBC URL exactly as the README gives
 * it, the way Jaspersoft Studio or JasperReports Server would; that URL never creates a file, and a
 * database without the CLV schema is refused by name. Runs after {@code package} (failsafe).
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
                    params.put("segment", "loyal");
                    params.put("minClv", 100.0);
                    JasperPrint print;
                    if (args[1].startsWith("jdbc:")) {
                        // A JDBC data source, as JasperReports Server and Studio give it.
                        try (java.sql.Connection c = java.sql.DriverManager.getConnection(args[1])) {
                            print = JasperFillManager.fillReport(report, params, c);
                        }
                    } else {
                        params.put("CLV_STORE", args[1]);
                        print = JasperFillManager.fillReport(report, params);
                    }
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

        String childClasspath = driverDir + File.pathSeparator + engineJar + File.pathSeparator + jrOnly;
        for (String source2 : List.of(store.toString(), readmeUrl().replace("/path/clv.duckdb", store.toString()))) {
            Path csv = dir.resolve("out-" + Math.abs(source2.hashCode()) + ".csv");
            String output = child(childClasspath, jrxml, source2, csv);
            assertTrue(output.contains("pages="), output);
            List<String> rows = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
            assertFalse(rows.isEmpty(), "the clv query returned rows from " + source2);
            for (String row : rows) {
                String[] cells = row.split(",");
                assertEquals("loyal", cells[1], row);
                assertTrue(Double.parseDouble(cells[2]) >= 100.0, row);
            }
        }

        // The README's URL for a store that is not there: refused, and no file is created.
        Path missing = dir.resolve("missing.duckdb");
        String refused = child(childClasspath, jrxml, readmeUrl().replace("/path/clv.duckdb", missing.toString()), dir.resolve("x.csv"));
        assertTrue(refused.contains("does not exist"), refused);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("missing")).toList());
        }
        // A DuckDB database without the CLV schema: the clv queries say so, naming its file.
        Path other = dir.resolve("other.duckdb");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + other); var st = c.createStatement()) {
            st.execute("CREATE TABLE t (i INTEGER)");
        }
        String notClv = child(childClasspath, jrxml, readmeUrl().replace("/path/clv.duckdb", other.toString()), dir.resolve("y.csv"));
        assertTrue(notClv.contains("has no CLV schema") && notClv.contains(other.toString()), notClv);
    }

    /** The JDBC URL the README gives for JasperReports Server and Studio, exactly as written there. */
    private static String readmeUrl() throws Exception {
        Path readme = Path.of(System.getProperty("user.dir")).resolveSibling("README.md");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("URL `(jdbc:duckdb:/path/clv\\.duckdb[^`]*)`").matcher(Files.readString(readme));
        assertTrue(m.find(), "the README gives a JDBC URL");
        return m.group(1);
    }

    /** Runs the driver in a JVM with only JasperReports, the driver and the engine jar; returns what it printed. */
    private static String child(String classpath, Path jrxml, String source, Path csv) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Xmx256m", "-cp", classpath, "PluginDriver",
                jrxml.toString(), source, csv.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM finishes");
        if (output.contains("pages=")) {
            assertEquals(0, p.exitValue(), output);
        }
        return output;
    }
}
