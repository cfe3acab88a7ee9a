package io.clvanalytics.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.clvanalytics.engine.jasper.QueryApi;
import io.clvanalytics.engine.jasper.ReportTemplate;
import io.clvanalytics.engine.users.ApiTokens;
import io.clvanalytics.engine.users.UserRole;
import io.clvanalytics.server.DemoStore;
import io.clvanalytics.server.TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.sf.jasperreports.engine.DefaultJasperReportsContext;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JRPrintElement;
import net.sf.jasperreports.engine.JRPrintFrame;
import net.sf.jasperreports.engine.JRPrintPage;
import net.sf.jasperreports.engine.JRPrintText;
import net.sf.jasperreports.engine.JasperCompileManager;
import net.sf.jasperreports.engine.JasperFillManager;
import net.sf.jasperreports.engine.JasperPrint;
import net.sf.jasperreports.engine.JasperReport;
import net.sf.jasperreports.engine.SimpleJasperReportsContext;
import net.sf.jasperreports.engine.util.JRLoader;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The {@code clv} query language reading a running server: the real server on a random loopback port over
 * a demo store, JasperReports filling the built-in templates in this JVM with the server's URL and an API
 * token, against the same templates filled from a copy of the store file. Also what the plugin says when
 * the token is refused, the role may not run a query, the server is unreachable or of another version,
 * and that pages keep answering while fills stream.
 */
class LiveQueryPluginTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Date GENERATED = new Date(1_790_000_000_000L);

    @TempDir
    static Path dir;
    private static TestServer server;
    private static Path fileCopy;
    private static String managerToken;
    private static String analystToken;

    @BeforeAll
    static void start() throws Exception {
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        Path fileDir = Files.createDirectories(dir.resolve("file"));
        fileCopy = DemoStore.copyTo(fileDir, DemoStore.CUSTOMERS);
        server = TestServer.over(DemoStore.copyTo(serverDir, DemoStore.CUSTOMERS), serverDir);
        server.addUser("report-manager", UserRole.MANAGER);
        server.addUser("report-analyst", UserRole.ANALYST);
        managerToken = server.token("report-manager");
        analystToken = server.token("report-analyst");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- both ways, every template

    @Test
    void everyBuiltInTemplateFillsWithTheSameValuesThroughTheServerAsFromTheStoreFile() throws Exception {
        for (ReportTemplate t : ReportTemplate.values()) {
            JasperReport report = compiled(t);
            List<String> fromFile;
            try (Connection c = readOnly(fileCopy)) {
                fromFile = texts(JasperFillManager.getInstance(DefaultJasperReportsContext.getInstance()).fill(report, params(), c));
            }
            // Managers view every report in the app, so a manager's token must fill every template.
            List<String> fromServer = texts(JasperFillManager.getInstance(serverContext(server.url(""), managerToken))
                    .fill(report, params()));
            assertTrue(fromFile.size() > 10, t + " filled " + fromFile);
            assertEquals(fromFile, fromServer, t.templateName() + ": the same texts through the server as from the file");
        }
        // The customer list holds every customer: the file and the server both gave all of them.
        List<String> list = texts(JasperFillManager.getInstance(serverContext(server.url(""), analystToken))
                .fill(compiled(ReportTemplate.CUSTOMER_LIST), params()));
        assertTrue(list.contains("H0"), "the hostile-named customer is listed");
        assertTrue(list.contains(DemoStore.HOSTILE.get(0)), "its name arrives as text, unchanged by the JSON escaping");
    }

    @Test
    void reportParametersNameTheServerForTheMainDataset() throws Exception {
        JasperReport report = compiled(ReportTemplate.CUSTOMER_LIST);
        Map<String, Object> p = params();
        p.put("CLV_SERVER_URL", server.url(""));
        p.put("CLV_SERVER_TOKEN", analystToken);
        p.put("segment", "champions");
        List<String> viaServer = texts(JasperFillManager.fillReport(report, p));
        List<String> fromFile;
        Map<String, Object> q = params();
        q.put("segment", "champions");
        try (Connection c = readOnly(fileCopy)) {
            fromFile = texts(JasperFillManager.fillReport(report, q, c));
        }
        assertEquals(fromFile, viaServer);
    }

    // ---- refusals the user reads

    @Test
    void aWrongOrRevokedTokenFailsTheFillNamingThe401AndTheServer() throws Exception {
        JasperReport report = compiled(ReportTemplate.EXECUTIVE_SUMMARY);
        ApiTokens tokens = new ApiTokens(server.engine);
        ApiTokens.CreatedToken created = tokens.create("report-analyst", "revoked", Optional.empty());
        String revoked = created.secret();
        tokens.revoke(created.info().id());
        for (String token : List.of("clv_1_wrongwrongwrongwrongwrongwrongwrongwrong", revoked)) {
            JRException e = assertThrows(JRException.class,
                    () -> JasperFillManager.getInstance(serverContext(server.url(""), token)).fill(report, params()));
            String m = rootMessage(e);
            assertTrue(m.contains("401") && m.contains(server.url("")) && m.contains("refused the API token"), m);
            assertPlain(m);
            assertFalse(m.contains(token), "the token is not shown");
        }
    }

    @Test
    void aRoleThatMayNotRunTheQueryIsNamedWithItsUser() throws Exception {
        JasperReport report = JasperCompileManager.compileReport(new ByteArrayInputStream("""
                <jasperReport name="segment-risk" language="java" pageWidth="595" pageHeight="842" columnWidth="555" leftMargin="20" rightMargin="20" topMargin="20" bottomMargin="20">
                	<query language="clv"><![CDATA[segment_risk]]></query>
                	<field name="segment" class="java.lang.String"/>
                	<detail><band height="14"><element kind="textField" x="0" y="0" width="100" height="14"><expression><![CDATA[$F{segment}]]></expression></element></band></detail>
                </jasperReport>""".getBytes(StandardCharsets.UTF_8)));
        JRException e = assertThrows(JRException.class,
                () -> JasperFillManager.getInstance(serverContext(server.url(""), managerToken)).fill(report, new HashMap<>()));
        String m = rootMessage(e);
        assertTrue(m.contains("403") && m.contains("segment_risk") && m.contains("user 'report-manager' (role manager)")
                && m.contains("needs role admin or analyst"), m);
        assertPlain(m);
        // The analyst's token runs it.
        assertFalse(texts(JasperFillManager.getInstance(serverContext(server.url(""), analystToken)).fill(report, new HashMap<>()))
                .isEmpty());
    }

    @Test
    void anUnreachableServerIsNamedWithTheCause() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        JRException e = assertThrows(JRException.class, () -> JasperFillManager.getInstance(serverContext(url, analystToken))
                .fill(compiled(ReportTemplate.CUSTOMER_LIST), params()));
        String m = rootMessage(e);
        assertTrue(m.contains("cannot reach the CLV server at " + url) && m.contains("refused"), m);
        assertPlain(m);
    }

    @Test
    void plainHttpIsRefusedBeyondThisMachine() throws Exception {
        JRException e = assertThrows(JRException.class, () -> JasperFillManager.getInstance(serverContext("http://clv.example.com",
                analystToken)).fill(compiled(ReportTemplate.CUSTOMER_LIST), params()));
        String m = rootMessage(e);
        assertTrue(m.contains("plain HTTP") && m.contains("https://"), m);
    }

    @Test
    void aServerOfAnotherVersionIsRefusedNamingBothVersions() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", ex -> {
            byte[] body = "{\"version\":\"0.0.1\",\"query\":\"kpis\",\"columns\":[],\"rows\":[],\"row_count\":0}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add(QueryApi.VERSION_HEADER, "0.0.1");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        other.start();
        try {
            String url = "http://127.0.0.1:" + other.getAddress().getPort();
            JRException e = assertThrows(JRException.class, () -> JasperFillManager.getInstance(serverContext(url, analystToken))
                    .fill(compiled(ReportTemplate.CUSTOMER_LIST), params()));
            String m = rootMessage(e);
            assertTrue(m.contains("version 0.0.1") && m.contains("version " + QueryApi.version()) && m.contains(url), m);
        } finally {
            other.stop(0);
        }
    }

    // ---- the API itself

    @Test
    void theQueryApiStreamsColumnsThenRowsAndRefusesUnknownQueriesAndBadParameters() throws Exception {
        HttpResponse<String> ok = api("/api/query/customer_scores?segment=champions&limit=5", analystToken);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(QueryApi.version(), ok.headers().firstValue(QueryApi.VERSION_HEADER).orElse(null));
        JsonNode body = JSON.readTree(ok.body());
        assertEquals("customer", body.path("columns").get(0).path("name").asText());
        assertEquals("text", body.path("columns").get(0).path("type").asText());
        assertEquals(5, body.path("rows").size());
        assertEquals(5, body.path("row_count").asLong());

        HttpResponse<String> unknown = api("/api/query/drop_tables", analystToken);
        assertEquals(404, unknown.statusCode());
        assertTrue(message(unknown).startsWith("there is no clv query named 'drop_tables'; the queries are customer_scores, kpis"),
                unknown.body());
        HttpResponse<String> badType = api("/api/query/customer_scores?min_clv=lots", analystToken);
        assertEquals(400, badType.statusCode());
        assertEquals("min_clv", JSON.readTree(badType.body()).path("error").path("field").asText());
        HttpResponse<String> negative = api("/api/query/customer_scores?limit=-1", analystToken);
        assertEquals(400, negative.statusCode());
        assertEquals("limit", JSON.readTree(negative.body()).path("error").path("field").asText());
        HttpResponse<String> noSuchParameter = api("/api/query/kpis?segment=x", analystToken);
        assertEquals(400, noSuchParameter.statusCode());
        assertEquals("query kpis has no parameter 'segment'; it takes run", message(noSuchParameter));
        HttpResponse<String> forbidden = api("/api/query/lifecycle_history", managerToken);
        assertEquals(403, forbidden.statusCode());
        assertEquals("user 'report-manager' (role manager) may not use GET /api/query/lifecycle_history: it needs role admin"
                + " or analyst", message(forbidden));
    }

    // ---- fills while pages answer

    @Test
    void pagesAndTheApiKeepAnsweringWhileReportsFillThroughTheServer() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        HttpClient browser = server.as(io.clvanalytics.server.auth.Role.MANAGER);
        ExecutorService fills = Executors.newFixedThreadPool(2);
        try {
            JasperReport list = compiled(ReportTemplate.CUSTOMER_LIST);
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                done.add(fills.submit(() -> {
                    int n = 0;
                    for (int k = 0; k < 3; k++) {
                        n += texts(JasperFillManager.getInstance(serverContext(server.url(""), analystToken)).fill(list, params())).size();
                    }
                    return n;
                }));
            }
            List<String> answers = new CopyOnWriteArrayList<>();
            int duringStream = 0;
            while (done.stream().anyMatch(f -> !f.isDone())) {
                boolean streaming = streamsActive() > 0;
                HttpResponse<String> page = server.get(browser, "/dashboard");
                HttpResponse<String> json = api("/api/dashboard", managerToken);
                answers.add(page.statusCode() + " " + json.statusCode());
                if (streaming && page.statusCode() == 200 && json.statusCode() == 200) {
                    duringStream++;
                }
                for (String b : List.of(page.body(), json.body())) {
                    assertFalse(b.toLowerCase(Locale.ROOT).contains("lock"), b);
                }
            }
            for (Future<Integer> f : done) {
                assertTrue(f.get(5, TimeUnit.MINUTES) > 0);
            }
            assertTrue(answers.stream().allMatch("200 200"::equals), answers.toString());
            assertTrue(duringStream > 0, "some page requests were answered while a query streamed: " + answers.size() + " requests");
        } finally {
            fills.shutdownNow();
            root.detachAppender(log);
        }
        List<String> lockErrors = log.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.toLowerCase(Locale.ROOT).contains("lock") && !m.contains("event=lockout")).toList();
        assertEquals(List.of(), lockErrors);
        assertTrue(log.list.stream().anyMatch(e -> e.getFormattedMessage().contains("event=query_stream ")
                && e.getFormattedMessage().contains("query=customer_scores")), "the streams were logged");
    }

    private static double streamsActive() {
        var gauge = server.deps.meters().find("clv.query.streams.active").gauge();
        return gauge == null ? 0 : gauge.value();
    }

    // ---- helpers

    private static HttpResponse<String> api(String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String message(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error").path("message").asText();
    }

    /** The JasperReports context of a reporting server whose jasperreports.properties name the CLV server. */
    static SimpleJasperReportsContext serverContext(String url, String token) {
        SimpleJasperReportsContext c = new SimpleJasperReportsContext(DefaultJasperReportsContext.getInstance());
        c.setProperty("io.clvanalytics.server.url", url);
        c.setProperty("io.clvanalytics.server.token", token);
        return c;
    }

    static JasperReport compiled(ReportTemplate t) throws JRException {
        InputStream in = LiveQueryPluginTest.class.getClassLoader().getResourceAsStream(t.compiledResource());
        assertNotNull(in, t.compiledResource());
        return (JasperReport) JRLoader.loadObject(in);
    }

    static Map<String, Object> params() {
        Map<String, Object> p = new HashMap<>();
        p.put("GENERATED_AT", GENERATED);
        p.put("PARAMETERS_TEXT", "live test");
        p.put("CURRENCY_SYMBOL", "$");
        p.put("customer", "H0");
        p.put("REPORT_LOCALE", Locale.US);
        p.put("REPORT_TIME_ZONE", TimeZone.getTimeZone("UTC"));
        return p;
    }

    static Connection readOnly(Path store) throws Exception {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        return new DuckDBDriver().connect("jdbc:duckdb:" + store, p);
    }

    /** Every text of the filled report, page by page, in layout order. */
    static List<String> texts(JasperPrint print) {
        List<String> out = new ArrayList<>();
        for (JRPrintPage page : print.getPages()) {
            collect(page.getElements(), out);
        }
        return out;
    }

    private static void collect(List<JRPrintElement> elements, List<String> out) {
        for (JRPrintElement e : elements) {
            if (e instanceof JRPrintText t) {
                out.add(t.getFullText());
            } else if (e instanceof JRPrintFrame f) {
                collect(f.getElements(), out);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append(" | ");
        }
        return b.toString();
    }

    /** No stack-trace material: no class names of the HTTP client or of Java. */
    private static void assertPlain(String m) {
        for (String internal : List.of("java.net", "jdk.internal", "HttpClient", "Exception", "\tat ")) {
            assertFalse(m.contains(internal), "no internals in: " + m);
        }
    }
}
