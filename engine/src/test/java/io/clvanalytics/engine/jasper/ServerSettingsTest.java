package io.clvanalytics.engine.jasper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import net.sf.jasperreports.engine.JRException;
import org.junit.jupiter.api.Test;

/** Where the plugin finds the CLV server: parameter, then property, then environment; and the URL rules. */
class ServerSettingsTest {

    private static Optional<ServerSettings> resolve(Map<String, Object> params, Map<String, String> props, Map<String, String> env)
            throws JRException {
        return ServerSettings.resolve(params::get, props::get, env);
    }

    @Test
    void aReportParameterWinsOverAPropertyWhichWinsOverTheEnvironment() throws JRException {
        Map<String, String> env = Map.of("CLV_SERVER_URL", "https://env.example", "CLV_SERVER_TOKEN", "env-token");
        Map<String, String> props = Map.of("io.clvanalytics.server.url", "https://prop.example", "io.clvanalytics.server.token", "prop-token");
        Map<String, Object> params = Map.of("CLV_SERVER_URL", "https://param.example", "CLV_SERVER_TOKEN", "param-token");
        assertEquals("https://param.example", resolve(params, props, env).orElseThrow().server());
        assertEquals("param-token", resolve(params, props, env).orElseThrow().token());
        assertEquals("https://prop.example", resolve(Map.of(), props, env).orElseThrow().server());
        assertEquals("prop-token", resolve(Map.of(), props, env).orElseThrow().token());
        assertEquals("https://env.example", resolve(Map.of(), Map.of(), env).orElseThrow().server());
        // each item on its own: the URL from a property, the token from the environment
        ServerSettings mixed = resolve(Map.of(), Map.of("io.clvanalytics.server.url", "https://prop.example/clv/"), env).orElseThrow();
        assertEquals("https://prop.example/clv", mixed.server());
        assertEquals("env-token", mixed.token());
        assertEquals(300, mixed.requestTimeout().toSeconds());
    }

    @Test
    void withoutAUrlThePluginUsesTheStoreAndATokenAloneIsIgnored() throws JRException {
        assertTrue(resolve(Map.of(), Map.of(), Map.of("CLV_SERVER_TOKEN", "t")).isEmpty());
    }

    @Test
    void aUrlWithoutATokenIsRefusedNamingWhereToSetIt() {
        JRException e = assertThrows(JRException.class, () -> resolve(Map.of(), Map.of(), Map.of("CLV_SERVER_URL", "https://clv.example")));
        assertTrue(e.getMessage().contains("needs an API token") && e.getMessage().contains("CLV_SERVER_TOKEN")
                && e.getMessage().contains("io.clvanalytics.server.token") && e.getMessage().contains("environment variable CLV_SERVER_URL"),
                e.getMessage());
    }

    @Test
    void plainHttpIsAllowedOnlyToThisMachine() throws JRException {
        for (String ok : new String[] {"http://localhost:7070", "http://127.0.0.1:7070", "http://[::1]:7070", "https://clv.example.com"}) {
            assertEquals(ok, resolve(Map.of("CLV_SERVER_URL", ok, "CLV_SERVER_TOKEN", "t"), Map.of(), Map.of()).orElseThrow().server());
        }
        for (String bad : new String[] {"http://clv.example.com", "http://10.0.0.5:7070", "http://127.0.0.1.example.com"}) {
            JRException e = assertThrows(JRException.class, () -> resolve(Map.of("CLV_SERVER_URL", bad, "CLV_SERVER_TOKEN", "t"), Map.of(), Map.of()));
            assertTrue(e.getMessage().contains("plain HTTP") && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void malformedUrlsAndTimeoutsAreRefusedByName() {
        for (String bad : new String[] {"clv.example.com", "ftp://clv.example.com", "https://user:pw@clv.example.com",
                "https://clv.example.com/?token=x", "https://clv example"}) {
            JRException e = assertThrows(JRException.class, () -> resolve(Map.of(), Map.of("io.clvanalytics.server.url", bad,
                    "io.clvanalytics.server.token", "t"), Map.of()));
            assertTrue(e.getMessage().contains("CLV server URL") && e.getMessage().contains("property io.clvanalytics.server.url"), e.getMessage());
        }
        JRException e = assertThrows(JRException.class, () -> resolve(Map.of(), Map.of("io.clvanalytics.server.url", "https://x.example",
                "io.clvanalytics.server.token", "t", "io.clvanalytics.server.timeout", "soon"), Map.of()));
        assertTrue(e.getMessage().contains("io.clvanalytics.server.timeout"), e.getMessage());
    }
}
