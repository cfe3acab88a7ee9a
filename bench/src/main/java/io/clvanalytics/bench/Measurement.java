package io.clvanalytics.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Wall time, rows handled and peak heap of one measured piece of work. */
public record Measurement(double seconds, long rows, long peakHeapBytes) {

    /** Rows per second, or 0 when no rows were counted. */
    public double rowsPerSecond() {
        return rows <= 0 ? 0 : rows / seconds;
    }

    /** "12.3 s, 9,912,000 rows, 806,000 rows/s". */
    public String describe() {
        if (rows <= 0) {
            return String.format(Locale.ROOT, "%.2f s", seconds);
        }
        return String.format(Locale.ROOT, "%.2f s, %,d rows, %,.0f rows/s", seconds, rows, rowsPerSecond());
    }

    /** The round of median time, with the highest peak heap of all rounds (the memory figure must hold for every run). */
    public static Measurement median(List<Measurement> rounds) {
        List<Measurement> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(Measurement::seconds));
        Measurement m = sorted.get(sorted.size() / 2);
        long peak = rounds.stream().mapToLong(Measurement::peakHeapBytes).max().orElse(m.peakHeapBytes());
        return new Measurement(m.seconds(), m.rows(), peak);
    }
}
