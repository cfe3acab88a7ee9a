package io.clvanalytics.server.ops;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The server's meter registry: one per app, never Micrometer's global one (tests would share meters). */
public final class Metrics {

    private Metrics() {}

    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
