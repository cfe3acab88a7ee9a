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
 * argument into [0, 1) so the series never alternates with growing terms; for 0 &lt; z &lt; 1 with
 * a + b &gt; c the Euler transformation 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a,c-b;c;z) turns growing
 * terms into falling ones. Summation stops when a
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

    /**
     * log 2F1(a, b; a+1; z) for a, b &gt; 0 and 0 ≤ z &lt; 1 (the form in the Pareto/NBD likelihood,
     * where every term is positive), with its partial derivatives: {@code d[0]} along a with
     * c = a + 1 moving with it, {@code d[1]} along b, {@code d[2]} along z. The derivatives are
     * summed with the series: the n-th term's log-derivatives are 1/a − 1/(a+n) (the c = a + 1
     * ratios telescope), Σ_{k&lt;n} 1/(b+k) and n/z.
     *
     * @throws CalculationException when the series needs more than {@code maxTerms} terms
     */
    static double log2F1ShiftedC(double a, double b, double z, int maxTerms, double[] d) {
        if (!(a > 0 && b > 0 && z >= 0 && z < 1)) {
            throw new CalculationException("2F1(a, b; a+1; z) needs a, b > 0 and 0 <= z < 1, got a=" + a + ", b=" + b + ", z=" + z,
                    Map.of("a", a, "b", b, "z", z));
        }
        double sum = 1, sumA = 0, sumB = 0, sumZ = 0;
        double term = 1, harmonicB = 0, logScale = 0;
        double invA = 1 / a;
        double inv = 1 / (a + 1);
        double ratio = (1 - inv) * b * z;
        for (int n = 0; n < maxTerms && z > 0; n++) {
            // term n+1 = term n · (a+n)/(a+n+1) · (b+n)/(n+1) · z; its log-derivatives 1/a − 1/(a+n+1), Σ_{k≤n} 1/(b+k), (n+1)/z.
            int m = n + 1;
            term *= ratio;
            harmonicB += 1 / (b + n);
            sum += term;
            sumA += term * (invA - inv);
            sumB += term * harmonicB;
            sumZ += term * m;
            inv = 1 / (a + m + 1);
            ratio = (1 - inv) * (b + m) * z / (m + 1);
            // Ratios fall towards z past the largest term, so the tail is at most term·bound/(1−bound);
            // the derivative sums' tails carry at most a factor log n or n more.
            double bound = Math.max(ratio, z);
            if (bound < 1 && term * bound / (1 - bound) * (m + 1) <= 1e-17 * sum) {
                d[0] = sumA / sum;
                d[1] = sumB / sum;
                d[2] = sumZ / (sum * z);
                return logScale + Math.log(sum);
            }
            if (sum > RESCALE) {
                sum /= RESCALE;
                sumA /= RESCALE;
                sumB /= RESCALE;
                sumZ /= RESCALE;
                term /= RESCALE;
                logScale += LOG_RESCALE;
            }
        }
        if (z == 0) {
            d[0] = 0;
            d[1] = 0;
            d[2] = a * b / (a + 1);
            return 0;
        }
        throw new CalculationException("2F1(" + a + ", " + b + "; " + (a + 1) + "; " + z + ") did not converge in " + maxTerms
                + " terms (z is too close to 1)", Map.of("a", a, "b", b, "z", z));
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
        if (z > 0 && a + b - c > 0 && (c - a >= 0 || c - b >= 0)) {
            // Euler: 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a,c-b;c;z). The terms of the original grow like
            // n^(a+b-c-1) z^n before they fall (thousands of terms for a large repeat count near z = 1),
            // those of the transformed series fall like n^(c-a-b-1) z^n from the start. With at most one
            // of c-a, c-b negative the transformed terms keep one sign after the first, so little cancels.
            double[] r = powerSeries(c - a, c - b, c, z, maxTerms);
            r[0] += (c - a - b) * Math.log1p(-z);
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
