package io.clvanalytics.server;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;

/**
 * Starts the server. Configuration: {@code --db PATH} or {@code CLV_DB} (store file, default
 * {@code data/clv.duckdb}); {@code CLV_PORT} (default 7070); {@code CLV_HOST} (default 127.0.0.1).
 */
public final class ServerMain {

    private ServerMain() {}

    public static void main(String[] args) {
        Path flag = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--db") && i + 1 < args.length) {
                flag = Path.of(args[++i]);
            }
        }
        String host = env("CLV_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("CLV_PORT", "7070"));
        Engine engine = Engine.open(Engine.resolveDbPath(flag));
        var app = ServerApp.create(engine);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            engine.close();
        }));
        app.start(host, port);
        System.out.println("CLV Analytics is serving " + engine.file() + " at http://" + host + ":" + port + "/");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
