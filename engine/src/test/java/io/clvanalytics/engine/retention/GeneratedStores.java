package io.clvanalytics.engine.retention;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;

/**
 * Stores from the project's demo-data generator (truth in {@code generated_customer_truth}), optionally
 * scored by the CLV engine (a BG/NBD model run with P(alive) and CLV per customer).
 */
final class GeneratedStores {

    private GeneratedStores() {}

    static void generate(Engine engine, int customers, long seed) {
        DemoDataGenerator.generate(engine, GeneratorConfig.defaults(customers, seed), DemoDataGenerator.ProgressListener.NONE, 2);
    }

    /** Runs the CLV scoring step: BG/NBD and Gamma-Gamma fitted on the whole history, 12 months of CLV. */
    static void bgNbdScores(Engine engine) {
        ClvService.on(engine).score("bgnbd", 12, 0.01);
    }
}
