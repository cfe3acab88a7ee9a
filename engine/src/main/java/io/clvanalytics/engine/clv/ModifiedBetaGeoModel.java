package io.clvanalytics.engine.clv;

import static org.apache.commons.numbers.gamma.LogGamma.value;

import java.util.List;
import org.apache.commons.numbers.gamma.Digamma;

/**
 * MBG/NBD: Batislam, Denizel &amp; Filiztekin (2007), "Empirical validation and comparison of models
 * for customer base analysis", IJRM 24(3). As BG/NBD, but a customer may also drop out right
 * after the first purchase, so customers with no repeat purchase are not certainly alive.
 * Parameters in order: r, alpha, a, b. Likelihood as lifetimes' {@code ModifiedBetaGeoFitter}.
 *
 * <p>Given the history, a customer alive at T has λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x+1) and
 * from then on behaves like a BG/NBD customer; the conditional predictions use that.
 */
public final class ModifiedBetaGeoModel implements PurchaseModel {

    public static final String NAME = "mbgnbd";
    public static final List<String> PARAMETERS = List.of("r", "alpha", "a", "b");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> parameterNames() {
        return PARAMETERS;
    }

    @Override
    public FitResult fit(RfmData data, double penalizer) {
        return Models.fitBetaGeoFamily(NAME, PARAMETERS, data, penalizer, ModifiedBetaGeoModel::rows);
    }

    @Override
    public double[] logLikelihood(double[] params, RfmData data) {
        return Models.rowLogLikelihoods(ModifiedBetaGeoModel::rows, params, data);
    }

    /** Per-row log-likelihood without the shared constant, and its gradient (as {@link BetaGeoModel}'s). */
    private static Models.Row rows(double[] params, Models.Prepared p) {
        double r = params[0], alpha = params[1], a = params[2], b = params[3];
        Models.Frequencies f = p.f;
        int[] x = f.x();
        double[] base = new double[f.max() + 1];
        double[] dBaseR = new double[f.max() + 1];
        double[] dBaseA = new double[f.max() + 1];
        double[] dBaseB = new double[f.max() + 1];
        double[] drop = new double[f.max() + 1];
        for (int v : f.distinct()) {
            double psiABX = Digamma.value(a + b + v + 1);
            base[v] = value(r + v) + value(b + v + 1) - value(a + b + v + 1);
            dBaseR[v] = Digamma.value(r + v);
            dBaseA[v] = -psiABX;
            dBaseB[v] = Digamma.value(b + v + 1) - psiABX;
            drop[v] = Math.log(a) - Math.log(b + v);
        }
        double[] logT = Models.Prepared.logPlus(alpha, p.distinctT);
        double[] invT = Models.Prepared.inversePlus(alpha, p.distinctT);
        double[] logTx = Models.Prepared.logPlus(alpha, p.distinctRecency);
        double[] invTx = Models.Prepared.inversePlus(alpha, p.distinctRecency);
        int[] ti = p.tIndex, ri = p.recencyIndex;
        return (i, w, acc) -> {
            int xi = x[i];
            double rx = r + xi;
            int t = ti[i];
            int j = ri[i];
            double a3 = -rx * logT[t];
            double a4 = drop[xi] + rx * (logT[t] - logTx[j]);
            // log(1 + e^a4) and its weight p4 = e^a4 / (1 + e^a4), with one exp and one log.
            double soft;
            double p4;
            if (a4 <= 0) {
                double e = Math.exp(a4);
                soft = Models.log1pUnit(e);
                p4 = e / (1 + e);
            } else {
                double e = Math.exp(-a4);
                soft = a4 + Models.log1pUnit(e);
                p4 = 1 / (1 + e);
            }
            double value = base[xi] + a3 + soft;
            acc[0] += w * value;
            acc[1] += w * (dBaseR[xi] - logT[t] + p4 * (logT[t] - logTx[j]));
            acc[2] += w * (-rx * invT[t] + p4 * rx * (invT[t] - invTx[j]));
            acc[3] += w * (dBaseA[xi] + p4 / a);
            acc[4] += w * (dBaseB[xi] - p4 / (b + xi));
            return value;
        };
    }

    /** c_x = a / (b + x): unlike BG/NBD, a customer may drop out right after the first purchase. */
    @Override
    public double[] aliveOdds(double[] params, double[] x) {
        double a = params[2], b = params[3];
        return Rows.map(x.length, i -> a / (b + x[i]));
    }

    @Override
    public double[] probabilityAlive(double[] params, double[] x, double[] tx, double[] T) {
        double r = params[0], alpha = params[1];
        double[] odds = aliveOdds(params, x);
        return Rows.map(x.length, i -> 1 / (1 + odds[i] * Math.exp((r + x[i]) * Math.log((alpha + T[i]) / (alpha + tx[i])))));
    }

    @Override
    public double[] expectedPurchases(double[] params, double t, double[] x, double[] tx, double[] T) {
        double[] alive = probabilityAlive(params, x, tx, T);
        double[] ifAlive = expectedPurchasesIfAlive(params, t, x, T);
        return Rows.map(x.length, i -> alive[i] * ifAlive[i]);
    }

    @Override
    public double[] expectedPurchasesIfAlive(double[] params, double t, double[] x, double[] T) {
        double r = params[0], alpha = params[1], a = params[2], b = params[3];
        return Rows.map(x.length, i -> BetaGeoModel.future(r + x[i], alpha + T[i], a, b + x[i] + 1, t));
    }

    @Override
    public double[] probabilityOfPurchases(double[] params, int n, double t, double[] x, double[] tx, double[] T) {
        double[] alive = probabilityAlive(params, x, tx, T);
        double[] ifAlive = probabilityOfPurchasesIfAlive(params, n, t, x, T);
        return Rows.map(x.length, i -> (n == 0 ? 1 - alive[i] : 0) + alive[i] * ifAlive[i]);
    }

    @Override
    public double[] probabilityOfPurchasesIfAlive(double[] params, int n, double t, double[] x, double[] T) {
        double r = params[0], alpha = params[1], a = params[2], b = params[3];
        return Rows.map(x.length, i -> BetaGeoModel.pmf(r + x[i], alpha + T[i], a, b + x[i] + 1, n, t));
    }

    /** b/(a+b) survive the first purchase; then p ~ Beta(a, b+1) (Batislam et al. 2007, eq. 9). */
    @Override
    public double expectedPurchasesNewCustomer(double[] params, double t) {
        double a = params[2], b = params[3];
        return b / (a + b) * BetaGeoModel.future(params[0], params[1], a, b + 1, t);
    }

    @Override
    public double probabilityOfPurchasesNewCustomer(double[] params, int n, double t) {
        double a = params[2], b = params[3];
        return (n == 0 ? a / (a + b) : 0) + b / (a + b) * BetaGeoModel.pmf(params[0], params[1], a, b + 1, n, t);
    }
}
