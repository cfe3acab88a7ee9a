package io.clvanalytics.server.charts;

import java.util.List;

/**
 * A chart as the browser's {@code app.js} draws it with Chart.js: the page holds only
 * {@code <canvas data-chart="/charts/NAME">}, the data come from here as JSON under the session.
 *
 * @param type       {@code bar}, {@code line} or {@code doughnut}
 * @param labels     the x-axis (or slice) labels, plain text (drawn on the canvas, never parsed as HTML)
 * @param datasets   the series
 * @param format     how values are written on axes and tooltips: {@code money}, {@code count}, {@code pct} or {@code number}
 * @param horizontal bars drawn horizontally (long labels)
 */
public record ChartData(String type, List<String> labels, List<Series> datasets, String format, boolean horizontal) {

    /**
     * One series. {@code band}: this series and the next one are a lower and upper bound drawn as a
     * shaded area (no line of their own).
     */
    public record Series(String label, List<Double> data, boolean band) {
        public static Series of(String label, List<Double> data) {
            return new Series(label, data, false);
        }
    }

    public ChartData {
        labels = List.copyOf(labels);
        datasets = List.copyOf(datasets);
    }
}
