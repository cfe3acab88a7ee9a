package io.clvanalytics.bench;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.BetaGeoModel;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.clv.ParetoNbdModel;
import io.clvanalytics.engine.clv.RfmData;
import io.clvanalytics.engine.clv.RfmSummary;
import io.clvanalytics.engine.clv.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CLV pipeline on the shared generated store (summary → BG/NBD fit → Gamma-Gamma fit → scores
 * written to customer_scores and customers.clv), each step and the whole, against a bare
 * {@code SELECT customer_id, count(*), min(date), max(date), sum(amount) FROM transactions GROUP BY
 * customer_id} in the same run (goal: whole pipeline ≤ 2×), and two floors that any pipeline pays
 * (see {@link #floors}). Then the Pareto/NBD fit on the full CDNOW
 * cohort (goal under 0.5 s) against the BG/NBD fit on the same summary.
 */
final class ClvBench implements Benchmark {

    static final Path CDNOW_MASTER = Path.of("..", "shared", "data", "cdnow", "CDNOW_master.txt");
    private static final String BARE = "bare GROUP BY customer_id";

    @Override
    public String name() {
        return "clv";
    }

    @Override
    public String description() {
        return "CLV pipeline (summary, BG/NBD + Gamma-Gamma fits, scores written back) vs a bare GROUP BY customer_id;"
                + " Pareto/NBD fit on the CDNOW cohort vs BG/NBD on it";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        List<BenchResult> results = new ArrayList<>();
        Path store = ctx.copyOfSharedStore("clv");
        try (Engine engine = Engine.open(store)) {
            long transactions;
            try (Connection c = engine.connect(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM transactions")) {
                    rs.next();
                    transactions = rs.getLong(1);
                }
                // Warm DuckDB's buffer pool so neither side pays for the first read of the file.
                st.execute("SELECT count(*), sum(amount), min(date), max(customer_id), bool_or(is_return) FROM transactions");
            }
            Measurement bare = ctx.measure(BARE, () -> {
                try (Connection c = engine.connect(); Statement st = c.createStatement()) {
                    st.execute("CREATE OR REPLACE TEMP TABLE bench_bare AS SELECT customer_id, count(*), min(date), max(date), sum(amount)"
                            + " FROM transactions GROUP BY customer_id");
                }
                return transactions;
            });
            ClvService.PipelineReport[] report = new ClvService.PipelineReport[1];
            Measurement whole = ctx.measure("CLV pipeline", () -> {
                report[0] = ClvService.on(engine).fitAndScore("bgnbd", TimeUnit.WEEK, 0, 12, 0.01);
                return transactions;
            });
            ClvService.PipelineReport r = report[0];
            results.add(BenchResult.timed(name(), String.format(Locale.ROOT, "whole pipeline, %,d customers (%,d distinct rows)",
                    r.score().customers(), r.purchases().fit().uniqueRows()), whole, BARE, bare));
            results.add(step("1 RFM summary (SQL)", r.summarySeconds(), transactions, whole, bare));
            results.add(step("2 BG/NBD fit", r.purchaseFitSeconds(), r.purchases().fit().uniqueRows(), whole, bare));
            results.add(step("3 Gamma-Gamma fit", r.spendFitSeconds(), r.spend() == null ? 0 : r.spend().fit().uniqueRows(), whole, bare));
            results.add(step("4 predictions + scores written back", r.scoreSeconds(), r.score().customers(), whole, bare));
            results.addAll(floors(ctx, engine, r.score().runId(), transactions, bare));
        }
        Files.deleteIfExists(store);
        if (Files.isRegularFile(CDNOW_MASTER)) {
            results.add(paretoOnCdnow(ctx));
        } else {
            ctx.log("skipping the Pareto/NBD CDNOW step: " + CDNOW_MASTER.toAbsolutePath() + " is absent");
        }
        return results;
    }

    /**
     * Two parts of the pipeline that no implementation can skip, each timed alone right after it
     * (warm, so if anything flattering): the summary's same-day merge, which the RFM definition
     * requires (the bare aggregation with purchase lines first merged per customer and day), and
     * the least write-back a scoring needs: every customer's predictions with the run they came from
     * (this run's values, already computed, copied into a new table) and customers.clv updated from
     * them. Their sum against the bare aggregation is the least ratio any pipeline can reach.
     */
    private List<BenchResult> floors(BenchContext ctx, Engine engine, long runId, long transactions, Measurement bare) throws Exception {
        Measurement merge = ctx.measure("floor: same-day merge", () -> {
            try (Connection c = engine.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE OR REPLACE TEMP TABLE bench_days AS SELECT customer_id, count(*), min(date), max(date), sum(amount)"
                        + " FROM (SELECT customer_id, date, sum(amount) AS amount FROM transactions"
                        + " WHERE NOT (is_return OR amount < 0) GROUP BY customer_id, date) GROUP BY customer_id");
            }
            return transactions;
        });
        long[] rows = new long[1];
        // The scores read first into a temp table, untimed, so the timed part is the write alone.
        try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement("CREATE OR REPLACE TABLE bench_predictions AS"
                + " SELECT run_id, customer_id, p_alive, expected_purchases, expected_spend, clv, p_purchases_0, p_purchases_1,"
                + " p_purchases_2, p_purchases_3_plus FROM customer_scores WHERE run_id = ?")) {
            ps.setLong(1, runId);
            ps.execute();
            c.createStatement().execute("CHECKPOINT");
        }
        Measurement write = ctx.measure("floor: writing the scores", () -> {
            try (Connection c = engine.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE OR REPLACE TABLE bench_scores AS SELECT * FROM bench_predictions");
                st.execute("UPDATE customers SET clv = p.clv FROM bench_predictions p WHERE customers.id = p.customer_id");
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM bench_scores")) {
                    rs.next();
                    rows[0] = rs.getLong(1);
                }
            }
            return rows[0];
        });
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE bench_scores");
            st.execute("DROP TABLE bench_predictions");
        }
        Measurement both = new Measurement(merge.seconds() + write.seconds(), transactions, Math.max(merge.peakHeapBytes(), write.peakHeapBytes()));
        return List.of(
                BenchResult.timed(name(), "floor A: same-day merge alone", merge, BARE, bare),
                BenchResult.timed(name(), String.format(Locale.ROOT, "floor B: writing %,d customers' predictions + customers.clv alone", rows[0]), write, BARE, bare),
                BenchResult.timed(name(), "floor A + B: least possible pipeline (goal 2x)", both, BARE, bare));
    }

    private BenchResult step(String step, double seconds, long rows, Measurement whole, Measurement bare) {
        return BenchResult.timed(name(), step, new Measurement(seconds, rows, whole.peakHeapBytes()), BARE, bare);
    }

    private BenchResult paretoOnCdnow(BenchContext ctx) throws Exception {
        Path file = ctx.workDir().resolve("cdnow.duckdb");
        RfmData data;
        try (Engine engine = Engine.open(file)) {
            engine.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO transactions(id, customer_id, date, amount, batch_id)"
                        + " SELECT row_number() OVER (), f[1]::BIGINT, strptime(f[2], '%Y%m%d')::DATE, f[4]::DECIMAL(18,4), 1"
                        + " FROM (SELECT string_split_regex(trim(line), '\\s+') AS f FROM read_csv(?, columns={'line': 'VARCHAR'},"
                        + " delim='|', header=false, quote='', escape='') WHERE trim(line) NOT LIKE 'customer_id%' AND trim(line) <> '')")) {
                    ps.setString(1, CDNOW_MASTER.toAbsolutePath().toString());
                    ps.execute();
                }
                return null;
            });
            try (Connection c = engine.connect()) {
                RfmSummary.create(c, new RfmSummary.Options(LocalDate.of(1997, 9, 30), null, TimeUnit.WEEK, null));
                data = RfmSummary.compressed(c);
            }
        }
        // One untimed fit of each warms the JIT for both sides alike.
        new ParetoNbdModel().fit(data, 0);
        new BetaGeoModel().fit(data, 0);
        Measurement pnbd = ctx.measure("Pareto/NBD fit on CDNOW", () -> {
            new ParetoNbdModel().fit(data, 0);
            return data.size();
        });
        Measurement bg = ctx.measure("BG/NBD fit on CDNOW", () -> {
            new BetaGeoModel().fit(data, 0);
            return data.size();
        });
        Files.deleteIfExists(file);
        return BenchResult.timed(name(), String.format(Locale.ROOT, "Pareto/NBD fit, CDNOW %,.0f customers (goal < 0.5 s)",
                data.customers()), pnbd, "BG/NBD fit, same data", bg);
    }
}
