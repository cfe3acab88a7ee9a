package io.clvanalytics.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerAppTest {

    @TempDir
    Path dir;

    @Test
    void theHomePageShowsTheStoreCountsOverRealHttp() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("s.duckdb"))) {
            engine.inTransaction(c -> c.createStatement().executeUpdate(
                    "INSERT INTO customers(id, source_id, name) VALUES (1, 'C1', '<b>x</b>'), (2, 'C2', 'y')"));
            var app = ServerApp.create(engine).start("127.0.0.1", 0);
            try {
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, page.statusCode());
                assertTrue(page.body().contains("<td id=\"customers\">2</td>"), page.body());
                assertTrue(page.headers().firstValue("Content-Security-Policy").isPresent());
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
                engine.inTransaction(c -> c.createStatement().executeUpdate(
                        "INSERT INTO transactions(id, customer_id, date, amount, batch_id) VALUES (1, 1, DATE '2024-01-02', 10, 1)"));
                HttpResponse<String> store = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/store")).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(store.body().contains("\"firstDate\":\"2024-01-02\""), store.body());
            } finally {
                app.stop();
            }
        }
    }
}
