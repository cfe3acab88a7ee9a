package io.clvanalytics.server.dashboard;

import io.clvanalytics.server.store.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Monthly acquisition cohorts by months since acquisition: the share still buying, for a heat map.
 *
 * @param offsets the column headings, months since acquisition
 * @param rows    one per cohort, oldest first
 */
public record CohortMatrix(List<Integer> offsets, List<CohortRow> rows) {

    /** One cohort: its month, size and one cell per offset (null where the cohort is too young). */
    public record CohortRow(String cohort, long size, List<Double> retention) {}

    /** The matrix of the engine's {@code cohort_retention} rows. */
    public static CohortMatrix of(List<Row> rows) {
        int maxOffset = rows.stream().mapToInt(r -> r.count("month_offset").intValue()).max().orElse(-1);
        Map<String, Double[]> cells = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Row r : rows) {
            String cohort = r.text("cohort");
            cells.computeIfAbsent(cohort, k -> new Double[maxOffset + 1])[r.count("month_offset").intValue()] = r.num("retention");
            sizes.put(cohort, r.count("cohort_size"));
        }
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i <= maxOffset; i++) {
            offsets.add(i);
        }
        List<CohortRow> out = new ArrayList<>();
        cells.forEach((cohort, values) -> out.add(new CohortRow(cohort, sizes.get(cohort), java.util.Arrays.asList(values))));
        return new CohortMatrix(offsets, out);
    }

    /** The CSS class of a cell: {@code heat-0} (none) to {@code heat-10} (all), {@code heat-none} when empty. */
    public static String heat(Double share) {
        return share == null ? "heat-none" : "heat-" + Math.max(0, Math.min(10, Math.round(share * 10)));
    }
}
