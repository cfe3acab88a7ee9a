package io.clvanalytics.engine.retention;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.FitResult;
import io.clvanalytics.engine.clv.PurchaseModel;
import io.clvanalytics.engine.clv.RfmSummary;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores from the project's demo-data generator (truth in {@code generated_customer_truth}) and,
 * standing in for the CLV scoring step, a BG/NBD fit by the clv package written as a model run with
 * P(alive) and a simple CLV per customer.
 */
final class GeneratedStores {

    private GeneratedStores() {}

    static void generate(Engine engine, int customers, long seed) {
        DemoDataGenerator.generate(engine, GeneratorConfig.defaults(customers, seed), DemoDataGenerator.ProgressListener.NONE, 2);
    }

    /** Fits BG/NBD on the whole history and writes model run 1 with P(alive) and CLV = 52-week purchases × spend. */
    static void bgNbdScores(Engine engine) {
        engine.inTransaction(c -> {
            RfmSummary.create(c, RfmSummary.Options.wholeHistory());
            PurchaseModel model = PurchaseModel.named("bgnbd");
            FitResult fit = model.fit(RfmSummary.compressed(c), 0.0);
            List<long[]> ids = new ArrayList<>();
            List<double[]> rows = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT customer_id, frequency, recency, T, monetary_value FROM "
                         + RfmSummary.TABLE + " ORDER BY customer_id")) {
                while (rs.next()) {
                    ids.add(new long[] {rs.getLong(1)});
                    rows.add(new double[] {rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)});
                }
            }
            double[] x = rows.stream().mapToDouble(r -> r[0]).toArray();
            double[] tx = rows.stream().mapToDouble(r -> r[1]).toArray();
            double[] t = rows.stream().mapToDouble(r -> r[2]).toArray();
            double[] alive = model.probabilityAlive(fit.values(), x, tx, t);
            double[] expected = model.expectedPurchases(fit.values(), 52, x, tx, t);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO model_runs(id, model, fitted_at, time_unit, customers, converged, parameters_json)"
                        + " VALUES (1, 'bgnbd', now(), 'week', " + ids.size() + ", " + fit.converged() + ", '{}')");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer_scores(run_id, customer_id, frequency, recency, t,"
                    + " monetary_value, p_alive, expected_purchases, clv, scored_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, now())")) {
                for (int i = 0; i < ids.size(); i++) {
                    double spend = rows.get(i)[3] > 0 ? rows.get(i)[3] : 50.0;
                    ps.setLong(1, ids.get(i)[0]);
                    ps.setDouble(2, x[i]);
                    ps.setDouble(3, tx[i]);
                    ps.setDouble(4, t[i]);
                    ps.setDouble(5, rows.get(i)[3]);
                    ps.setDouble(6, alive[i]);
                    ps.setDouble(7, expected[i]);
                    ps.setDouble(8, expected[i] * spend);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }
}
