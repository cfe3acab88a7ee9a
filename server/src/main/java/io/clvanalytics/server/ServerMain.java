package io.clvanalytics.server;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;

/**
 * Starts the server: settings from flags and environment ({@link ServerConfig}, README's
 * configuration table), the store opened and held for the server's lifetime.
 */
public final class ServerMain {

    private ServerMain() {}

    public static void main(String[] args) {
        ServerConfig config;
        try {
            config = ServerConfig.from(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Engine engine = Engine.open(config.db());
        ServerDeps deps = ServerDeps.of(engine, config);
        try {
            FirstAdmin.ensure(deps.store(), config.adminPassword(), System.out);
        } catch (DataValidationException e) {
            System.err.println("error: CLV_ADMIN_PASSWORD: " + e.getMessage());
            engine.close();
            System.exit(2);
            return;
        }
        var app = ServerApp.create(deps);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            engine.close();
        }));
        app.start(config.host(), config.port());
        System.out.println("CLV Analytics is serving " + engine.file() + " at http://" + config.host() + ":" + app.port() + "/");
    }
}
