package io.clvanalytics.bench;

import java.util.List;

/** Every benchmark {@code make bench} knows, in the order they run. Add yours here. */
final class BenchRegistry {

    private BenchRegistry() {}

    static List<Benchmark> all() {
        return List.of(
                new GenerateBench(),
                new ImportBench(),
                new QualityBench(),
                new ClvBench(),
                new RetentionBench(),
                new ProductBench(),
                new ReportBench(),
                new CliBench(),
                new SparkBench(),
                new ServerBench());
    }
}
