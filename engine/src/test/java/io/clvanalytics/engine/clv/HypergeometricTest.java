package io.clvanalytics.engine.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.clvanalytics.engine.CalculationException;
import org.junit.jupiter.api.Test;

/** 2F1 against closed forms (Abramowitz &amp; Stegun 15.1.3-15.1.7 and the binomial series 15.1.8). */
class HypergeometricTest {

    @Test
    void matchesMinusLogOneMinusZOverZ() {
        for (double z : new double[] {1e-6, 0.1, 0.5, 0.9, 0.99, 0.999}) {
            assertEquals(-Math.log1p(-z) / z, Hypergeometric.value(1, 1, 2, z), 1e-13 * (-Math.log1p(-z) / z), "z=" + z);
        }
    }

    @Test
    void matchesTheBinomialSeriesAndStaysFiniteInLogSpaceWhereTheValueOverflows() {
        assertEquals(Math.pow(1 - 0.3, -2.5), Hypergeometric.value(2.5, 1.7, 1.7, 0.3), 1e-13);
        // (1 - 0.9)^-2000 = e^4605, far beyond the double range.
        assertEquals(2000 * Math.log(10), Hypergeometric.log2F1(2000, 3.5, 3.5, 0.9), 1e-9 * 4605);
    }

    @Test
    void matchesArcsinAndArctanForms() {
        double z = 0.8;
        assertEquals(Math.asin(z) / z, Hypergeometric.value(0.5, 0.5, 1.5, z * z), 1e-13);
        assertEquals(Math.atan(z) / z, Hypergeometric.value(0.5, 1, 1.5, -z * z), 1e-13);
        assertEquals(Math.log1p(3.0) / 3.0, Hypergeometric.value(1, 1, 2, -3), 1e-13);
    }

    @Test
    void matchesAPublishedValueWithNonIntegerParameters() {
        // 2F1(1/3, 2/3; 5/6; 27/32) = 8/5 (A&S 15.1.x special value, Vidunas 2009, "Dihedral Gauss hypergeometric functions").
        assertEquals(1.6, Hypergeometric.value(1.0 / 3, 2.0 / 3, 5.0 / 6, 27.0 / 32), 1e-12);
    }

    /**
     * The shapes BG/NBD predictions use, 2F1(r+x, b+x; a+b+x-1; z) with a+b > c, where the Euler
     * transformation takes over from the direct series; reference values from mpmath 1.3.0
     * {@code hyp2f1} at 40 digits.
     */
    @Test
    void matchesMpmathWhereTheEulerTransformationIsUsed() {
        assertEquals(151.2161530798353173973914, Hypergeometric.log2F1(50.25, 52.44, 52.21, 0.95), 1e-12 * 151.2);
        assertEquals(2.273557771496803973494934, Hypergeometric.value(0.25, 2.44, 2.21, 0.93), 1e-13 * 2.27);
        assertEquals(43.12478585415743088002779, Hypergeometric.value(5.25, 7.44, 7.21, 0.5), 1e-13 * 43.1);
        assertEquals(58.30269764795810516389697, Hypergeometric.value(3.5, 3.8, 6.3, 0.9), 1e-13 * 58.3);
        assertEquals(87.52189525872819765751647, Hypergeometric.log2F1(20.3, 1.2, 2.0, 0.99), 1e-12 * 87.5);
    }

    @Test
    void terminatesForANegativeIntegerParameter() {
        // 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z²/(c(c+1)).
        double b = 1.5, c = 2.5, z = 0.7;
        assertEquals(1 - 2 * b * z / c + b * (b + 1) * z * z / (c * (c + 1)), Hypergeometric.value(-2, b, c, z), 1e-14);
    }

    @Test
    void refusesArgumentsOutsideItsDomain() {
        assertThrows(CalculationException.class, () -> Hypergeometric.value(1, 1, 2, 1.0));
        assertThrows(CalculationException.class, () -> Hypergeometric.value(1, 1, -2, 0.5));
        assertThrows(CalculationException.class, () -> Hypergeometric.log2F1(-1, 2, 1, 0.75));
    }
}
