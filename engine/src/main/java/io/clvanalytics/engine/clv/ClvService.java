package io.clvanalytics.engine.clv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clvanalytics.engine.CalculationException;
import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Fits CLV models on a store and scores its customers: the engine API behind {@code clv fit} and
 * {@code clv score}.
 *
 * <ul>
 *   <li>{@link #fit} summarises the transactions ({@link RfmSummary}), fits one model, and stores
 *       a {@code model_runs} row (parameters with standard errors and 95 % intervals as JSON,
 *       log-likelihood, window, unit, {@code fitted_at} from the engine clock) plus, for purchase
 *       models, the diagnostics tables {@code model_run_holdout}, {@code model_run_tracking},
 *       {@code model_run_frequency_histogram} and {@code model_run_frequency_recency}.</li>
 *   <li>{@link #score} predicts for every customer from the latest run of a purchase model and the
 *       latest Gamma-Gamma run (fitting either on the whole history when there is none) and writes
 *       {@code customer_scores} rows (replacing earlier scores of the same run) and
 *       {@code customers.clv}.</li>
 * </ul>
 * Predictions for a customer alive at T are computed once per distinct (frequency, T) pair and
 * multiplied by P(alive) in SQL as the scores are written; P(alive) itself is computed in SQL for
 * the BG/NBD family ({@link PurchaseModel#aliveOdds}), else once per distinct (frequency, recency, T) row.
 * A fit that does not converge throws {@link CalculationException} and stores nothing.
 *
 * <p><b>CLV definition</b> (lifetimes' {@code customer_lifetime_value}, PyMC-Marketing's
 * {@code expected_customer_lifetime_value}): CLV = Σ_{k=1..H} spend × (E[X(k months)] −
 * E[X(k−1 months)]) / (1 + d)^k, where E[X(t)] is the expected number of purchases in the next t
 * given the history, spend the Gamma-Gamma expected spend per purchase, H the horizon in months
 * and d the monthly discount rate. A month is 4.345 weeks or 30 days, as in lifetimes.
 *
 * <p><b>Historic CLV</b> (stored beside it in {@code customer_scores.historic_clv}): average order
 * value × purchases per month (both from the customer's own history) × Σ_{k=1..H} ((1 − c) / (1 + d))^k,
 * where c is the store's monthly churn probability: 1 − the share of customers buying in a
 * calendar month who buy again in the next month. Without discounting and with H → ∞ this is the
 * textbook "AOV × frequency × lifespan" with lifespan (1 − c) / c months.
 */
public final class ClvService {

    /** Months scored when no horizon is given (lifetimes' default {@code time=12}). */
    public static final int DEFAULT_HORIZON_MONTHS = 12;
    /** Monthly discount rate when none is given (lifetimes' default 0.01). */
    public static final double DEFAULT_DISCOUNT_RATE = 0.01;
    /** The model names {@link #fit} accepts. */
    public static final Set<String> MODELS = Set.of(BetaGeoModel.NAME, ParetoNbdModel.NAME, ModifiedBetaGeoModel.NAME, GammaGammaModel.NAME);

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Engine engine;

    private ClvService(Engine engine) {
        this.engine = engine;
    }

    public static ClvService on(Engine engine) {
        return new ClvService(engine);
    }

    /**
     * Holdout comparison. For purchase models: customers, summed expected and actual repeat
     * purchases in the holdout, mean absolute per-customer error. For Gamma-Gamma: customers who
     * bought in the holdout, their mean expected and actual spend per purchase, mean absolute error.
     */
    public record Holdout(long customers, double expected, double actual, double meanAbsoluteError) {}

    /** A stored fit. {@code holdout} is null without a holdout period. */
    public record FitReport(long runId, String model, RfmSummary.Window window, FitResult fit, Holdout holdout, Instant fittedAt) {}

    /**
     * A stored scoring. {@code spendRunId} is null when spend came from the customers' history
     * (the Gamma-Gamma fit was impossible, for example nobody repeated).
     */
    public record ScoreReport(long runId, Long spendRunId, String model, LocalDate asOf, int horizonMonths, double discountRate,
            long customers, double totalClv, double totalHistoricClv, double expectedPurchases, double meanProbabilityAlive,
            double monthlyChurn, Instant scoredAt) {}

    /**
     * Fits {@code model} ({@code bgnbd}, {@code pnbd}, {@code mbgnbd} or {@code gg}) and stores the run.
     *
     * @param diagnostics whether to compute and store the diagnostics tables (purchase models)
     */
    public FitReport fit(String model, RfmSummary.Options options, double penalizer, boolean diagnostics) {
        if (!MODELS.contains(model)) {
            throw new DataValidationException("--model: must be one of bgnbd, pnbd, mbgnbd, gg (" + model + ")");
        }
        if (!(penalizer >= 0) || !Double.isFinite(penalizer)) {
            throw new DataValidationException("--penalizer: must be a number >= 0 (" + penalizer + ")");
        }
        try (Connection c = engine.connect()) {
            RfmSummary.Window window = RfmSummary.create(c, options);
            Instant fittedAt = engine.clock().instant();
            return model.equals(GammaGammaModel.NAME)
                    ? fitSpend(c, window, penalizer, fittedAt)
                    : fitPurchases(c, PurchaseModel.named(model), RfmSummary.compressed(c), window, penalizer, diagnostics, fittedAt);
        } catch (SQLException e) {
            throw new StoreException("fitting " + model + " on " + engine.file() + " failed: " + e.getMessage(), e);
        }
    }

    private FitReport fitPurchases(Connection c, PurchaseModel model, RfmData d, RfmSummary.Window window, double penalizer,
            boolean diagnostics, Instant fittedAt) throws SQLException {
        FitResult fit = model.fit(d, penalizer);
        double[] params = fit.values();
        Holdout holdout = null;
        if (window.holdoutEnd() != null) {
            double[] expected = model.expectedPurchases(params, window.holdoutDuration(), d.frequency(), d.recency(), d.T());
            writeRows(c, "clv_pred", d.frequency(), d.recency(), d.T(), Map.of("expected", expected));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT count(*), sum(p.expected), sum(r.frequency_holdout), avg(abs(p.expected - r.frequency_holdout))"
                            + " FROM clv_rfm r JOIN clv_pred p USING (frequency, recency, T)")) {
                rs.next();
                holdout = new Holdout(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4));
            }
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            long runId = insertRun(c, fit, window, holdout, fittedAt);
            if (holdout != null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_run_holdout SELECT ?, r.frequency, count(*),"
                        + " avg(p.expected), avg(r.frequency_holdout) FROM clv_rfm r JOIN clv_pred p USING (frequency, recency, T)"
                        + " GROUP BY r.frequency")) {
                    ps.setLong(1, runId);
                    ps.executeUpdate();
                }
            }
            if (diagnostics) {
                Diagnostics.store(c, runId, model, params, window, d);
            }
            c.commit();
            return new FitReport(runId, model.name(), window, fit, holdout, fittedAt);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private FitReport fitSpend(Connection c, RfmSummary.Window window, double penalizer, Instant fittedAt) throws SQLException {
        SpendData spend = RfmSummary.spend(c);
        if (spend.size() == 0) {
            throw new CalculationException("gg fit impossible: no customer made a repeat purchase with positive spend in the calibration period",
                    Map.of("customers", window.customers()));
        }
        GammaGammaModel gg = new GammaGammaModel();
        FitResult fit = gg.fit(spend, penalizer);
        double[] p = fit.values();
        gg.populationMeanSpend(p);
        Holdout holdout = null;
        if (window.holdoutEnd() != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), avg(e), avg(monetary_value_holdout), avg(abs(e - monetary_value_holdout))"
                    + " FROM (SELECT monetary_value_holdout, " + spendSql("?", "?", "?") + " AS e FROM clv_rfm WHERE frequency_holdout > 0)")) {
                bindSpend(ps, 1, p);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    holdout = new Holdout(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4));
                }
            }
        }
        long runId = insertRun(c, fit, window, holdout, fittedAt);
        return new FitReport(runId, GammaGammaModel.NAME, window, fit, holdout, fittedAt);
    }

    /** SQL for the Gamma-Gamma conditional expected spend over clv_rfm columns, parameters bound in the order of {@link #bindSpend}. */
    private static String spendSql(String p, String q, String v) {
        return "CASE WHEN frequency > 0 THEN " + p + " * (" + v + " + frequency * monetary_value) / (" + p + " * frequency + " + q
                + " - 1) ELSE " + p + " * " + v + " / (" + q + " - 1) END";
    }

    /** Binds p, q, γ for each of the three-placeholder groups in {@link #spendSql}. */
    private static int bindSpend(PreparedStatement ps, int from, double[] pqv) throws SQLException {
        int i = from;
        // WHEN branch: p, v, p, q; ELSE branch: p, v, q.
        for (double v : new double[] {pqv[0], pqv[2], pqv[0], pqv[1], pqv[0], pqv[2], pqv[1]}) {
            ps.setDouble(i++, v);
        }
        return i;
    }

    private long insertRun(Connection c, FitResult fit, RfmSummary.Window window, Holdout holdout, Instant fittedAt) throws SQLException {
        long runId;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nextval('model_run_seq')")) {
            rs.next();
            runId = rs.getLong(1);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_runs(id, model, fitted_at, calibration_start, calibration_end,"
                + " holdout_end, time_unit, customers, log_likelihood, converged, iterations, penalizer, parameters_json, details_json,"
                + " unique_rows, holdout_customers, holdout_expected, holdout_actual, holdout_mae)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, runId);
            ps.setString(2, fit.model());
            ps.setTimestamp(3, Timestamp.valueOf(LocalDateTime.ofInstant(fittedAt, ZoneOffset.UTC)));
            ps.setObject(4, window.firstDate());
            ps.setObject(5, window.calibrationEnd());
            ps.setObject(6, window.holdoutEnd());
            ps.setString(7, window.unit().label());
            ps.setLong(8, fit.customers());
            ps.setDouble(9, fit.logLikelihood());
            ps.setBoolean(10, fit.converged());
            ps.setInt(11, fit.iterations());
            ps.setDouble(12, fit.penalizer());
            ps.setString(13, parametersJson(fit).toString());
            ObjectNode details = JSON.createObjectNode();
            details.put("unique_rows", fit.uniqueRows());
            details.put("summary_customers", window.customers());
            ps.setString(14, details.toString());
            ps.setInt(15, fit.uniqueRows());
            if (holdout == null) {
                for (int i = 16; i <= 19; i++) {
                    ps.setObject(i, null);
                }
            } else {
                ps.setLong(16, holdout.customers());
                ps.setDouble(17, holdout.expected());
                ps.setDouble(18, holdout.actual());
                ps.setDouble(19, holdout.meanAbsoluteError());
            }
            ps.executeUpdate();
        }
        return runId;
    }

    /** {name: {value, standard_error, lower_95, upper_95}} in canonical order. */
    public static ObjectNode parametersJson(FitResult fit) {
        ObjectNode node = JSON.createObjectNode();
        for (FitResult.Parameter p : fit.parameters()) {
            ObjectNode o = node.putObject(p.name());
            o.put("value", p.value());
            o.put("standard_error", p.standardError());
            o.put("lower_95", p.lower95());
            o.put("upper_95", p.upper95());
        }
        return node;
    }

    /** A stored run: its id, model, unit and parameter values in canonical order. */
    record StoredRun(long id, String model, TimeUnit unit, double[] params) {}

    private static StoredRun latestRun(Connection c, String model, List<String> names) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, time_unit, parameters_json FROM model_runs WHERE model = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                JsonNode json = JSON.readTree(rs.getString(3));
                double[] params = new double[names.size()];
                for (int i = 0; i < params.length; i++) {
                    params[i] = json.path(names.get(i)).path("value").asDouble(Double.NaN);
                    if (!(params[i] > 0)) {
                        throw new StoreException("model run " + rs.getLong(1) + " has no valid parameter " + names.get(i));
                    }
                }
                return new StoredRun(rs.getLong(1), model, TimeUnit.parse(rs.getString(2)), params);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new StoreException("model run of " + model + " has unreadable parameters_json: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Scores every customer with the latest {@code model} run (a purchase model) and the latest
     * Gamma-Gamma run, fitting them on the whole history in weeks when the store has none.
     * Predictions use each customer's whole history up to the last purchase day in the store.
     *
     * @param horizonMonths whole months of future to value, ≥ 1
     * @param discountRate  monthly discount rate, ≥ 0
     */
    public ScoreReport score(String model, int horizonMonths, double discountRate) {
        if (GammaGammaModel.NAME.equals(model) || !MODELS.contains(model)) {
            throw new DataValidationException("--model: must be a purchase model, bgnbd, pnbd or mbgnbd (" + model + ")");
        }
        if (horizonMonths < 1 || horizonMonths > 1200) {
            throw new DataValidationException("--horizon: must be a whole number of months from 1 to 1200 (" + horizonMonths + ")");
        }
        if (!(discountRate >= 0) || !(discountRate < 10)) {
            throw new DataValidationException("--discount-rate: must be a monthly rate >= 0 and < 10 (" + discountRate + ")");
        }
        PurchaseModel purchaseModel = PurchaseModel.named(model);
        try (Connection c = engine.connect()) {
            StoredRun run = latestRun(c, model, purchaseModel.parameterNames());
            if (run == null) {
                fit(model, RfmSummary.Options.wholeHistory(), 0, true);
                run = latestRun(c, model, purchaseModel.parameterNames());
            }
            StoredRun spendRun = latestRun(c, GammaGammaModel.NAME, GammaGammaModel.PARAMETERS);
            if (spendRun == null) {
                try {
                    fit(GammaGammaModel.NAME, new RfmSummary.Options(null, null, run.unit(), null), 0, false);
                    spendRun = latestRun(c, GammaGammaModel.NAME, GammaGammaModel.PARAMETERS);
                } catch (CalculationException noSpendModel) {
                    spendRun = null;
                }
            }
            RfmSummary.Window window = RfmSummary.create(c, new RfmSummary.Options(null, null, run.unit(), null));
            return scoreOn(c, purchaseModel, RfmSummary.compressed(c), run, spendRun, window, horizonMonths, discountRate);
        } catch (SQLException e) {
            throw new StoreException("scoring with " + model + " on " + engine.file() + " failed: " + e.getMessage(), e);
        }
    }

    /** Scores from the summary currently in {@value RfmSummary#TABLE} on {@code c}, compressed in {@code d}. */
    private ScoreReport scoreOn(Connection c, PurchaseModel purchaseModel, RfmData d, StoredRun run, StoredRun spendRun,
            RfmSummary.Window window, int horizonMonths, double discountRate) throws SQLException {
        String model = purchaseModel.name();
        double[] params = run.params();
        LifetimeValue.Scores clv = LifetimeValue.compute(purchaseModel, params, horizonMonths, discountRate, run.unit(),
                RfmSummary.frequencyTPairs(c));
        Map<String, double[]> pairs = new LinkedHashMap<>();
        pairs.put("expected_if_alive", clv.expectedIfAlive());
        pairs.put("discounted_if_alive", clv.discountedIfAlive());
        pairs.put("p0_if_alive", clv.purchasesIfAlive()[0]);
        pairs.put("p1_if_alive", clv.purchasesIfAlive()[1]);
        pairs.put("p2_if_alive", clv.purchasesIfAlive()[2]);
        // P(alive) in SQL where the model has the BG/NBD form (binds r, α, α), else per distinct row from Java.
        double[] odds = purchaseModel.aliveOdds(params, clv.pairFrequency());
        String alive;
        String aliveJoin;
        if (odds != null) {
            pairs.put("alive_odds", odds);
            alive = "CASE WHEN p.alive_odds = 0 THEN 1.0 ELSE 1 / (1 + p.alive_odds * exp((? + r.frequency) * ln((? + r.T) / (? + r.recency)))) END";
            aliveJoin = "";
        } else {
            writeRows(c, "clv_pred", d.frequency(), d.recency(), d.T(),
                    Map.of("p_alive", purchaseModel.probabilityAlive(params, d.frequency(), d.recency(), d.T())));
            alive = "a.p_alive";
            aliveJoin = " JOIN clv_pred a USING (frequency, recency, T)";
        }
        writeRows(c, "clv_pair", clv.pairFrequency(), null, clv.pairT(), pairs);
        double churn = monthlyChurn(c, window);
        double survival = 0;
        for (int k = 1; k <= horizonMonths; k++) {
            survival += Math.pow((1 - churn) / (1 + discountRate), k);
        }
        Instant scoredAt = engine.clock().instant();
        Timestamp at = Timestamp.valueOf(LocalDateTime.ofInstant(scoredAt, ZoneOffset.UTC));
        // AOV × purchases per month = the customer's spend per month of tenure (at least one month).
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM customer_scores WHERE run_id = ?")) {
                ps.setLong(1, run.id());
                ps.executeUpdate();
            }
            String spend = spendRun == null ? "CASE WHEN frequency > 0 THEN monetary_value ELSE calibration_amount END"
                    : spendSql("?", "?", "?");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer_scores(run_id, spend_run_id, customer_id, frequency,"
                    + " recency, t, monetary_value, p_alive, expected_purchases, expected_spend, clv, horizon, discount_rate, scored_at,"
                    + " historic_clv, p_purchases_0, p_purchases_1, p_purchases_2, p_purchases_3_plus)"
                    + " SELECT ?, ?, customer_id, frequency, recency, T, monetary_value, p_alive, p_alive * expected_if_alive, spend,"
                    + " spend * p_alive * discounted_if_alive, ?, ?, ?, calibration_amount / greatest(1, t_days / 30.4375) * ?,"
                    + " 1 - p_alive + p_alive * p0_if_alive, p_alive * p1_if_alive, p_alive * p2_if_alive,"
                    + " greatest(0, p_alive * (1 - p0_if_alive - p1_if_alive - p2_if_alive))"
                    + " FROM (SELECT r.*, " + alive + " AS p_alive, p.expected_if_alive, p.discounted_if_alive, p.p0_if_alive,"
                    + " p.p1_if_alive, p.p2_if_alive, " + spend + " AS spend"
                    + " FROM clv_rfm r JOIN clv_pair p USING (frequency, T)" + aliveJoin + ")")) {
                int i = 1;
                ps.setLong(i++, run.id());
                ps.setObject(i++, spendRun == null ? null : spendRun.id());
                ps.setDouble(i++, horizonMonths);
                ps.setDouble(i++, discountRate);
                ps.setTimestamp(i++, at);
                ps.setDouble(i++, survival);
                if (odds != null) {
                    ps.setDouble(i++, params[0]);
                    ps.setDouble(i++, params[1]);
                    ps.setDouble(i++, params[1]);
                }
                if (spendRun != null) {
                    bindSpend(ps, i, spendRun.params());
                }
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE customers SET clv = s.clv FROM customer_scores s"
                    + " WHERE s.run_id = ? AND customers.id = s.customer_id")) {
                ps.setLong(1, run.id());
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), sum(clv), sum(historic_clv), sum(expected_purchases), avg(p_alive),"
                + " count(*) FILTER (WHERE isnan(clv) OR isinf(clv) OR clv IS NULL) FROM customer_scores WHERE run_id = ?")) {
            ps.setLong(1, run.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(6) > 0) {
                    throw new CalculationException("scoring produced " + rs.getLong(6) + " customers without a finite CLV",
                            Map.of("run_id", run.id()));
                }
                return new ScoreReport(run.id(), spendRun == null ? null : spendRun.id(), model, window.calibrationEnd(), horizonMonths,
                        discountRate, rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), churn, scoredAt);
            }
        }
    }

    /** Seconds each step of {@link #fitAndScore} took, and its results. */
    public record PipelineReport(FitReport purchases, FitReport spend, ScoreReport score, double summarySeconds,
            double purchaseFitSeconds, double spendFitSeconds, double scoreSeconds) {}

    /**
     * The whole pipeline on one summary of the whole history: RFM summary → purchase model fit →
     * Gamma-Gamma fit (skipped, with spend from history, when it is impossible) → scores written
     * back. Runs are stored as by {@link #fit} (without diagnostics) and scores as by {@link #score}.
     */
    public PipelineReport fitAndScore(String model, TimeUnit unit, double penalizer, int horizonMonths, double discountRate) {
        if (GammaGammaModel.NAME.equals(model) || !MODELS.contains(model)) {
            throw new DataValidationException("--model: must be a purchase model, bgnbd, pnbd or mbgnbd (" + model + ")");
        }
        PurchaseModel purchaseModel = PurchaseModel.named(model);
        try (Connection c = engine.connect()) {
            long t0 = System.nanoTime();
            RfmSummary.Window window = RfmSummary.create(c, new RfmSummary.Options(null, null, unit, null));
            long t1 = System.nanoTime();
            Instant now = engine.clock().instant();
            RfmData compressed = RfmSummary.compressed(c);
            FitReport purchases = fitPurchases(c, purchaseModel, compressed, window, penalizer, false, now);
            long t2 = System.nanoTime();
            FitReport spend;
            try {
                spend = fitSpend(c, window, penalizer, now);
            } catch (CalculationException noSpendModel) {
                spend = null;
            }
            long t3 = System.nanoTime();
            ScoreReport score = scoreOn(c, purchaseModel, compressed,
                    new StoredRun(purchases.runId(), model, unit, purchases.fit().values()),
                    spend == null ? null : new StoredRun(spend.runId(), GammaGammaModel.NAME, unit, spend.fit().values()),
                    window, horizonMonths, discountRate);
            long t4 = System.nanoTime();
            return new PipelineReport(purchases, spend, score, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9);
        } catch (SQLException e) {
            throw new StoreException("the CLV pipeline on " + engine.file() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Monthly churn probability of the store: 1 − (customer-months followed by a purchase in the
     * next calendar month / customer-months with a purchase), over months before the last one.
     * 1 when no month has a successor (a single month of data: nobody is known to stay). Counted
     * from the summary's {@code active_months} bits when the history fits in them (no second pass
     * over the transactions), else from the transactions.
     */
    static double monthlyChurn(Connection c, RfmSummary.Window window) throws SQLException {
        LocalDate asOf = window.calibrationEnd();
        if (ChronoUnit.MONTHS.between(window.firstDate().withDayOfMonth(1), asOf.withDayOfMonth(1)) < RfmSummary.ACTIVE_MONTHS) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT sum(bit_count(active_months >> 1)),"
                    + " sum(bit_count(active_months & (active_months >> 1))) FROM " + RfmSummary.TABLE)) {
                return churn(rs);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                WITH act AS (
                    SELECT DISTINCT customer_id, date_trunc('month', date) AS m FROM transactions
                    WHERE date <= ? AND customer_id IS NOT NULL AND NOT (is_return OR amount < 0)
                ), seq AS (
                    SELECT m, lead(m) OVER (PARTITION BY customer_id ORDER BY m) AS nxt FROM act
                )
                SELECT count(*), count(*) FILTER (WHERE nxt = m + INTERVAL 1 MONTH)
                FROM seq WHERE m < (SELECT max(m) FROM act)
                """)) {
            ps.setObject(1, asOf);
            try (ResultSet rs = ps.executeQuery()) {
                return churn(rs);
            }
        }
    }

    /** 1 − followed / months from a row (customer-months before the last month, of them followed by a purchase). */
    private static double churn(ResultSet rs) throws SQLException {
        rs.next();
        long months = rs.getLong(1);
        return months == 0 ? 1 : 1 - (double) rs.getLong(2) / months;
    }

    /**
     * Writes rows of predictions to temp table {@code table}(frequency INTEGER, [recency DOUBLE,] T DOUBLE,
     * one DOUBLE per column); {@code recency} null leaves that key out. Each column travels as one
     * DuckDB list (one appender call per column, not per value) and is unnested in SQL: for half a
     * million rows that is several times faster than appending row by row.
     *
     * @throws CalculationException when a value is not finite (no NaN score is ever stored)
     */
    static void writeRows(Connection c, String table, double[] frequency, double[] recency, double[] T, Map<String, double[]> columns)
            throws SQLException {
        Map<String, double[]> lists = new LinkedHashMap<>();
        lists.put("frequency", frequency);
        if (recency != null) {
            lists.put("recency", recency);
        }
        lists.put("T", T);
        columns.forEach((name, v) -> {
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw new CalculationException("a prediction is not finite for frequency " + frequency[i]
                            + (recency == null ? "" : ", recency " + recency[i]) + ", T " + T[i], Map.of(name, v[i]));
                }
            }
            lists.put(name, v);
        });
        StringJoiner ddl = new StringJoiner(", ", "CREATE OR REPLACE TEMP TABLE " + table + "_lists (", ")");
        StringJoiner unnest = new StringJoiner(", ", "CREATE OR REPLACE TEMP TABLE " + table + " AS SELECT ", " FROM " + table + "_lists");
        lists.keySet().forEach(name -> {
            ddl.add(name + " DOUBLE[]");
            unnest.add("unnest(" + name + ")" + (name.equals("frequency") ? "::INTEGER" : "") + " AS " + name);
        });
        try (Statement st = c.createStatement()) {
            st.execute(ddl.toString());
            try (DuckDBAppender app = c.unwrap(DuckDBConnection.class).createAppender("temp", "main", table + "_lists")) {
                app.beginRow();
                for (double[] v : lists.values()) {
                    app.append(v);
                }
                app.endRow();
            }
            st.execute(unnest.toString());
            st.execute("DROP TABLE " + table + "_lists");
        }
    }
}
