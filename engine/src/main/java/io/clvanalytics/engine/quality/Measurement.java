package io.clvanalytics.engine.quality;

import java.util.List;
import java.util.Map;

/**
 * What a check measured: the metric (in the check's unit, higher is worse), how many rows offend,
 * a few of them (column name to value, in query order) and a one-line explanation.
 */
public record Measurement(Double metric, long offendingRows, List<Map<String, Object>> sample, String message) {

    public Measurement {
        sample = List.copyOf(sample);
    }
}
