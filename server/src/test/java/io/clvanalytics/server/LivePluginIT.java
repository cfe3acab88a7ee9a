package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.users.ApiTokens;
import io.clvanalytics.engine.users.UserRole;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reporting server and the CLV server at the same time: the real server runs on a loopback port over
 * a demo store while a separate JVM, whose classpath holds only JasperReports (with its own
 * dependencies), the DuckDB driver, the packaged thin engine jar and the templates jar (the styles the
 * built-in templates use), fills {@code customer-list} (server named by report parameters) and
 * {@code executive-summary} (server named by environment variables, which reach its subdatasets too)
 * through the server with an API token. The filled texts equal those of the same JVM filling from a copy
 * of the store file over the README's JDBC URL; pages and the API answer 200 while the fills run; a wrong
 * and a revoked token fail the fill with a message naming the 401 and the server. Runs after
 * {@code package} (failsafe), with the engine module's jar and plugin classpath.
 */
class LivePluginIT {

    private static final String DRIVER = """
            import java.io.PrintWriter;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.ArrayList;
            import java.util.HashMap;
            import java.util.List;
            import java.util.Locale;
            import java.util.Map;
            import java.util.TimeZone;
            import net.sf.jasperreports.engine.JRPrintElement;
            import net.sf.jasperreports.engine.JRPrintFrame;
            import net.sf.jasperreports.engine.JRPrintPage;
            import net.sf.jasperreports.engine.JRPrintText;
            import net.sf.jasperreports.engine.JasperFillManager;
            import net.sf.jasperreports.engine.JasperPrint;
            import net.sf.jasperreports.engine.JasperReport;
            import net.sf.jasperreports.engine.util.JRLoader;

            /**
             * args: OUT_DIR jdbc URL | OUT_DIR server URL TOKEN | OUT_DIR tokens URL TOKEN... In jdbc and server mode it fills
             * customer-list and executive-summary and writes their texts to OUT_DIR/NAME.txt; in server mode the customer
             * list gets the server as report parameters and the executive summary from the environment (CLV_SERVER_URL,
             * CLV_SERVER_TOKEN), which reaches its subdatasets too. In tokens mode it tries each token on the customer list.
             */
            public class LiveDriver {
                public static void main(String[] args) throws Exception {
                    String mode = args[1];
                    if (mode.equals("tokens")) {
                        for (int i = 3; i < args.length; i++) {
                            fill("customer-list", Path.of(args[0], "token" + i + ".txt"), "params", args[2], args[i]);
                        }
                        return;
                    }
                    fill("customer-list", Path.of(args[0], "customer-list.txt"), mode.equals("jdbc") ? "jdbc" : "params", args[2],
                            mode.equals("jdbc") ? null : args[3]);
                    fill("executive-summary", Path.of(args[0], "executive-summary.txt"), mode.equals("jdbc") ? "jdbc" : "env", args[2], null);
                }

                static void fill(String template, Path out, String how, String source, String token) throws Exception {
                    JasperReport report = (JasperReport) JRLoader.loadObject(LiveDriver.class.getClassLoader()
                            .getResourceAsStream("io/clvanalytics/reports/compiled/" + template + ".jasper"));
                    Map<String, Object> p = new HashMap<>();
                    p.put("GENERATED_AT", new java.util.Date(1790000000000L));
                    p.put("PARAMETERS_TEXT", "live plugin");
                    p.put("CURRENCY_SYMBOL", "$");
                    p.put("REPORT_LOCALE", Locale.US);
                    p.put("REPORT_TIME_ZONE", TimeZone.getTimeZone("UTC"));
                    JasperPrint print;
                    try {
                        if (how.equals("jdbc")) {
                            try (java.sql.Connection c = java.sql.DriverManager.getConnection(source)) {
                                print = JasperFillManager.fillReport(report, p, c);
                            }
                        } else {
                            if (how.equals("params")) {
                                p.put("CLV_SERVER_URL", source);
                                p.put("CLV_SERVER_TOKEN", token);
                            }
                            print = JasperFillManager.fillReport(report, p);
                        }
                    } catch (Exception e) {
                        StringBuilder m = new StringBuilder();
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            m.append(t.getMessage()).append(" | ");
                        }
                        System.out.println("FILL FAILED: " + m);
                        return;
                    }
                    List<String> texts = new ArrayList<>();
                    for (JRPrintPage page : print.getPages()) {
                        collect(page.getElements(), texts);
                    }
                    Files.write(out, texts);
                    System.out.println(template + " texts=" + texts.size());
                }

                static void collect(List<JRPrintElement> elements, List<String> out) {
                    for (JRPrintElement e : elements) {
                        if (e instanceof JRPrintText t) {
                            out.add(String.valueOf(t.getFullText()).replace("\\n", "\\\\n"));
                        } else if (e instanceof JRPrintFrame f) {
                            collect(f.getElements(), out);
                        }
                    }
                }
            }
            """;

    @Test
    void aJvmWithOnlyJasperReportsAndTheEngineJarFillsReportsThroughTheRunningServer(@TempDir Path dir) throws Exception {
        Path engineJar = Path.of(System.getProperty("clv.engine.jar"));
        Path templatesJar = Path.of(System.getProperty("clv.templates.jar"));
        Path pluginClasspath = Path.of(System.getProperty("clv.plugin.classpath"));
        for (Path p : List.of(engineJar, templatesJar, pluginClasspath)) {
            assertTrue(Files.isRegularFile(p), p + " exists (the engine and report-templates modules are packaged first)");
        }
        List<String> jr = new ArrayList<>(Arrays.asList(Files.readString(pluginClasspath).strip().split(File.pathSeparator)));
        for (String entry : jr) {
            String name = Path.of(entry).getFileName().toString();
            assertFalse(name.matches("(javalin|jetty|pac4j|micrometer|jte|picocli|clv-).*"), "not a plugin dependency: " + name);
        }
        String jrOnly = String.join(File.pathSeparator, jr);
        Path driverDir = Files.createDirectories(dir.resolve("driver"));
        Path source = Files.writeString(driverDir.resolve("LiveDriver.java"), DRIVER);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-cp", jrOnly, "-d", driverDir.toString(), source.toString()));
        String classpath = String.join(File.pathSeparator, driverDir.toString(), engineJar.toString(), templatesJar.toString(), jrOnly);

        Path storeDir = Files.createDirectories(dir.resolve("store"));
        Path store = DemoStore.create(storeDir, 500);
        Path copy = Files.copy(store, dir.resolve("copy.duckdb"));
        String jdbc = "jdbc:duckdb:" + copy + ";access_mode=READ_ONLY";

        try (TestServer server = TestServer.over(store, Files.createDirectories(dir.resolve("server")))) {
            server.addUser("jasper", UserRole.ANALYST);
            String token = server.token("jasper");
            String url = server.url("");
            HttpClient browser = server.as(io.clvanalytics.server.auth.Role.MANAGER);

            Path fromFile = Files.createDirectories(dir.resolve("file"));
            String fileRun = child(classpath, Map.of(), fromFile.toString(), "jdbc", jdbc);
            assertFalse(fileRun.contains("FILL FAILED"), fileRun);
            Path fromServer = Files.createDirectories(dir.resolve("server-fill"));
            List<String> answers = new CopyOnWriteArrayList<>();
            String serverRun = whilePolling(server, browser, token, answers, () -> child(classpath,
                    Map.of("CLV_SERVER_URL", url, "CLV_SERVER_TOKEN", token), fromServer.toString(), "server", url, token));
            assertFalse(serverRun.contains("FILL FAILED"), serverRun);
            for (String template : List.of("customer-list", "executive-summary")) {
                List<String> expected = Files.readAllLines(fromFile.resolve(template + ".txt"));
                assertTrue(expected.size() > 20, template + ": " + expected.size() + " texts");
                assertEquals(expected, Files.readAllLines(fromServer.resolve(template + ".txt")),
                        template + ": the same values through the server as from the copy of the store file");
            }
            assertFalse(answers.isEmpty(), "pages were requested while the reports filled");
            assertTrue(answers.stream().allMatch(a -> a.equals("200 200")), "pages and API answered during the fills: " + answers);

            ApiTokens tokens = new ApiTokens(server.engine);
            ApiTokens.CreatedToken revoked = tokens.create("jasper", "to revoke", Optional.empty());
            tokens.revoke(revoked.info().id());
            String out = child(classpath, Map.of(), dir.toString(), "tokens", url, "clv_1_notatokennotatokennotatokennotatoken",
                    revoked.secret());
            List<String> failures = out.lines().filter(l -> l.startsWith("FILL FAILED")).toList();
            assertEquals(2, failures.size(), out);
            for (String failure : failures) {
                assertTrue(failure.contains("401") && failure.contains("the CLV server at " + url + " refused the API token"), failure);
                for (String internal : List.of("java.net.", "jdk.internal", "HttpClient", "Exception")) {
                    assertFalse(failure.contains(internal), "no HTTP client internals: " + failure);
                }
            }
            assertFalse(out.contains("\tat "), "no stack trace: " + out);
        }
    }

    @FunctionalInterface
    private interface Run {
        String call() throws Exception;
    }

    /** Runs {@code run} while another thread asks for the dashboard page and the API's dashboard, recording the statuses. */
    private static String whilePolling(TestServer server, HttpClient browser, String token, List<String> answers, Run run)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        HttpClient api = HttpClient.newHttpClient();
        Thread poller = new Thread(() -> {
            while (!stop.get()) {
                try {
                    HttpResponse<String> page = server.get(browser, "/dashboard");
                    HttpResponse<String> json = api.send(HttpRequest.newBuilder(URI.create(server.url("/api/dashboard")))
                            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                    boolean lock = (page.body() + json.body()).toLowerCase(Locale.ROOT).contains("lock");
                    answers.add(page.statusCode() + " " + json.statusCode() + (lock ? " lock" : ""));
                } catch (Exception e) {
                    answers.add("failed: " + e);
                }
            }
        });
        poller.start();
        try {
            return run.call();
        } finally {
            stop.set(true);
            poller.join(60_000);
        }
    }

    private static String child(String classpath, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath, "LiveDriver"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("CLV_SERVER_URL");
        pb.environment().remove("CLV_SERVER_TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the child JVM finishes");
        return output;
    }
}
