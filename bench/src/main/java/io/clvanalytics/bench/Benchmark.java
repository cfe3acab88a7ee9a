package io.clvanalytics.bench;

import java.util.List;

/**
 * One named benchmark run by {@code make bench}. Contract: {@link #run(BenchContext)} measures its
 * steps and, in the same run, the baseline each is compared with (so figures are ratios, not absolute
 * times that depend on the machine); it sizes its work from {@link BenchContext#customers()} and
 * {@link BenchContext#transactions()}; it never modifies {@link BenchContext#sharedStore()} (copy it
 * with {@link BenchContext#copyOfSharedStore(String)} to change data). Register new benchmarks in
 * {@link BenchRegistry}.
 */
public interface Benchmark {

    /** Short lower-case name used by {@code --only}, e.g. {@code generate}. */
    String name();

    /** One line on what is measured and against which baseline. */
    String description();

    /** Runs the benchmark and returns one result per step. */
    List<BenchResult> run(BenchContext context) throws Exception;
}
