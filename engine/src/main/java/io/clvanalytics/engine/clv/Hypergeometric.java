package io.clvanalytics.engine.clv;

import io.clvanalytics.engine.CalculationException;
import java.util.Map;

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and z &lt; 1, as the BG/NBD,
 * MBG/NBD and Pareto/NBD formulas need it.
 *
 * <p>Written here because no maintained Java library offers it: Hipparchus and Commons Numbers
 * have the gamma family but not 2F1 (the models' reference implementations call SciPy's
 * {@code hyp2f1}). Method: the defining power series, summed with a running scale so terms that
 * exceed the double range (large repeat counts make 2F1 astronomically big) stay exact in log
 * space; for z &lt; 0 the Pfaff transformation 2F1(a,b;c;z) = (1-z)^-a 2F1(a,c-b;c;z/(z-1)) maps the
 * argument into [0, 1) so the series never alternates with growing terms. Summation stops when a
 * rigorous geometric bound on the tail is below 1e-16 of the sum; a series that needs more than
 * {@value #MAX_TERMS} terms (z extremely close to 1) throws {@link CalculationException} rather
 * than returning an inaccurate number.
 */
public final class Hypergeometric {

    static final int MAX_TERMS = 500_000;
    private static final double RESCALE = 1e200;
    private static final double LOG_RESCALE = Math.log(RESCALE);

    private Hypergeometric() {}

    /** 2F1(a, b; c; z); may overflow to infinity where {@link #log2F1} stays finite. */
    public static double value(double a, double b, double c, double z) {
        double[] r = series(a, b, c, z, MAX_TERMS);
        return r[1] * Math.exp(r[0]);
    }

    /**
     * 2F1(a, b; c; z) * exp(logFactor), computed without overflow when 2F1 alone exceeds the
     * double range but the product does not (the models multiply 2F1 by tiny powers).
     */
    public static double timesExp(double a, double b, double c, double z, double logFactor) {
        double[] r = series(a, b, c, z, MAX_TERMS);
        return r[1] * Math.exp(r[0] + logFactor);
    }

    /**
     * log 2F1(a, b; c; z) for a positive value of the function.
     *
     * @throws CalculationException when the function is not positive here, c is a non-positive
     *     integer, z ≥ 1, or the series does not converge within {@value #MAX_TERMS} terms
     */
    public static double log2F1(double a, double b, double c, double z) {
        return log2F1(a, b, c, z, MAX_TERMS);
    }

    /**
     * As {@link #log2F1(double, double, double, double)} but giving up after {@code maxTerms}
     * terms: inside an optimizer a point whose series converges this slowly lies in an extreme
     * region and is better rejected quickly than summed exactly.
     */
    public static double log2F1(double a, double b, double c, double z, int maxTerms) {
        double[] r = series(a, b, c, z, maxTerms);
        if (!(r[1] > 0)) {
            throw new CalculationException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") is not positive, so its log is undefined",
                    Map.of("a", a, "b", b, "c", c, "z", z));
        }
        return r[0] + Math.log(r[1]);
    }

    /** Returns {logScale, mantissa} with 2F1 = mantissa * exp(logScale). */
    private static double[] series(double a, double b, double c, double z, int maxTerms) {
        if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(c) && Double.isFinite(z)) || z >= 1) {
            throw new CalculationException("2F1 needs finite arguments and z < 1, got a=" + a + ", b=" + b + ", c=" + c + ", z=" + z,
                    Map.of("a", a, "b", b, "c", c, "z", z));
        }
        if (c <= 0 && c == Math.rint(c)) {
            throw new CalculationException("2F1 is undefined for c = " + c + " (a non-positive integer)", Map.of("c", c));
        }
        if (z < 0) {
            // Pfaff: maps z in (-inf, 0) to w in (0, 1) with the prefactor (1-z)^-a.
            double w = z / (z - 1);
            double[] r = powerSeries(a, c - b, c, w, maxTerms);
            r[0] -= a * Math.log1p(-z);
            return r;
        }
        return powerSeries(a, b, c, z, maxTerms);
    }

    private static double[] powerSeries(double a, double b, double c, double z, int maxTerms) {
        double logScale = 0;
        double sum = 1;
        double term = 1;
        if (z == 0) {
            return new double[] {0, 1};
        }
        for (int n = 0; n < maxTerms; n++) {
            double ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
            term *= ratio;
            sum += term;
            if (term == 0) {
                return new double[] {logScale, sum};
            }
            double next = Math.abs((a + n + 1) * (b + n + 1) / ((c + n + 1) * (n + 2.0)) * z);
            double bound = Math.max(next, z);
            // Past the largest term the ratios tend monotonically to z, so the tail is at most
            // |term| * bound / (1 - bound).
            if (bound < 1 && a + n + 1 > 0 && b + n + 1 > 0 && c + n + 1 > 0 && Math.abs(term) * bound / (1 - bound) <= 1e-17 * Math.abs(sum)) {
                return new double[] {logScale, sum};
            }
            if (Math.abs(sum) > RESCALE) {
                sum /= RESCALE;
                term /= RESCALE;
                logScale += LOG_RESCALE;
            }
        }
        throw new CalculationException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") did not converge in " + maxTerms
                + " terms (z is too close to 1)", Map.of("a", a, "b", b, "c", c, "z", z));
    }
}
