package io.clvanalytics.engine.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.testdata.SharedData;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fits reproduce the published estimates on the CDNOW 1/10 sample: 2,357 customers,
 * calibration = the first 39 weeks of 1997 (ending 1997-09-30), unit = week, same-day purchases
 * merged.
 *
 * <p>Sources: Fader, Hardie &amp; Lee (2005), "Counting your customers the easy way", Marketing
 * Science 24(2), 275-284, Table 1 (BG/NBD r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = -9582.4;
 * Pareto/NBD r = 0.553, α = 10.578, s = 0.606, β = 11.669, LL = -9595.0); Fader, Hardie &amp; Lee
 * (2005), "RFM and CLV: using iso-value curves", JMR 42(4) (Gamma-Gamma p = 6.25, q = 3.74,
 * γ = 15.44), which lifetimes' documentation reproduces on the same summary.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishedEstimatesTest {

    RfmData purchases;
    SpendData spend;

    @BeforeAll
    void summarise(@TempDir Path dir) throws Exception {
        Path file = SharedData.file("cdnow/CDNOW_sample.txt");
        try (Engine engine = Engine.open(dir.resolve("cdnow.duckdb"))) {
            Cdnow.loadSample(engine, file);
            try (Connection c = engine.connect()) {
                RfmSummary.Window w = RfmSummary.create(c, new RfmSummary.Options(LocalDate.of(1997, 9, 30), null, TimeUnit.WEEK, null));
                assertEquals(2357, w.customers());
                purchases = RfmSummary.compressed(c);
                spend = RfmSummary.spend(c);
            }
        }
    }

    @Test
    void bgNbdMatchesFaderHardieLee2005() {
        FitResult fit = new BetaGeoModel().fit(purchases, 0);
        assertEquals(0.243, fit.value("r"), 0.0005);
        assertEquals(4.414, fit.value("alpha"), 0.0005);
        assertEquals(0.793, fit.value("a"), 0.0005);
        assertEquals(2.426, fit.value("b"), 0.0005);
        assertEquals(-9582.4, fit.logLikelihood(), 0.05);
        // Standard errors as lifetimes reports them for this fit (0.0126, 0.378, 0.186, 0.705).
        assertEquals(0.0126, fit.parameter("r").standardError(), 0.0005);
        assertEquals(0.378, fit.parameter("alpha").standardError(), 0.005);
        assertEquals(0.186, fit.parameter("a").standardError(), 0.005);
        assertEquals(0.705, fit.parameter("b").standardError(), 0.005);
    }

    @Test
    void paretoNbdMatchesFaderHardieLee2005() {
        FitResult fit = new ParetoNbdModel().fit(purchases, 0);
        assertEquals(0.553, fit.value("r"), 0.0005);
        assertEquals(10.578, fit.value("alpha"), 0.0005);
        assertEquals(0.606, fit.value("s"), 0.0005);
        assertEquals(11.669, fit.value("beta"), 0.0005);
        assertEquals(-9595.0, fit.logLikelihood(), 0.05);
    }

    @Test
    void gammaGammaMatchesFaderHardieLee2005() {
        assertEquals(946, spend.weight().length == 0 ? 0 : (long) java.util.Arrays.stream(spend.weight()).sum());
        FitResult fit = new GammaGammaModel().fit(spend, 0);
        assertEquals(6.25, fit.value("p"), 0.005);
        assertEquals(3.74, fit.value("q"), 0.005);
        assertEquals(15.44, fit.value("gamma"), 0.005);
    }
}
