package io.clvanalytics.engine.retention;

import io.clvanalytics.engine.DataValidationException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a retention run scores with. Validated once here; {@link #defaults()} documents the defaults.
 *
 * @param asOf the analysis date; null means the last purchase date in the store (historical data
 *     sets such as CDNOW end long before today, so "now" would call everybody churned)
 * @param modelRunId the CLV model run whose P(alive) and CLV to use; null means the latest run that
 *     has customer scores
 * @param inactivityDays a customer silent this many days is churned (status, survival); default 180
 * @param trendDays the window of the activity trend: purchase days in the last {@code trendDays}
 *     against the {@code trendDays} before; default 90
 * @param churnMedium churn probability from which risk is at least medium; default 0.30
 * @param churnHigh churn probability from which risk is at least high; default 0.60
 * @param valueAtRiskHigh value at risk (CLV × churn) that makes risk critical (with churn ≥ churnHigh)
 *     or lifts medium to high; null means the {@code valueAtRiskQuantile} of this run
 * @param valueAtRiskQuantile quantile of value at risk used when {@code valueAtRiskHigh} is null; default 0.80
 * @param valueTierLowQuantile CLV below this quantile is the low value tier; default 0.40
 * @param valueTierHighQuantile CLV at or above this quantile is the high value tier; default 0.80
 * @param segmentMap names of the R×F cells; default {@link SegmentMap#standard()}
 * @param actionRules the recommended-action rules; default {@link ActionRules#defaults()}
 * @param keepRuns retention runs whose scores are kept (older ones are deleted); default 10
 */
public record RetentionSettings(LocalDate asOf, Long modelRunId, int inactivityDays, int trendDays,
                                double churnMedium, double churnHigh, Double valueAtRiskHigh,
                                double valueAtRiskQuantile, double valueTierLowQuantile,
                                double valueTierHighQuantile, SegmentMap segmentMap, ActionRules actionRules,
                                int keepRuns) {

    public RetentionSettings {
        Objects.requireNonNull(segmentMap, "segmentMap");
        Objects.requireNonNull(actionRules, "actionRules");
        check(inactivityDays >= 1 && inactivityDays <= 36_500, "inactivity-days", "must be 1-36500 days", inactivityDays);
        check(trendDays >= 1 && trendDays <= 36_500, "trend-days", "must be 1-36500 days", trendDays);
        check(churnMedium > 0 && churnMedium < churnHigh && churnHigh < 1, "churn thresholds",
                "need 0 < medium < high < 1", churnMedium + " / " + churnHigh);
        check(valueAtRiskHigh == null || valueAtRiskHigh >= 0, "value-at-risk-high", "must be >= 0", valueAtRiskHigh);
        check(valueAtRiskQuantile > 0 && valueAtRiskQuantile < 1, "value-at-risk-quantile", "must lie in (0, 1)", valueAtRiskQuantile);
        check(valueTierLowQuantile > 0 && valueTierLowQuantile < valueTierHighQuantile && valueTierHighQuantile < 1,
                "value tier quantiles", "need 0 < low < high < 1", valueTierLowQuantile + " / " + valueTierHighQuantile);
        check(keepRuns >= 1, "keep-runs", "must be >= 1", keepRuns);
    }

    private static void check(boolean ok, String field, String rule, Object value) {
        if (!ok) {
            throw new DataValidationException(field + ": " + rule + " (" + value + ")");
        }
    }

    /** The documented defaults. */
    public static RetentionSettings defaults() {
        return new RetentionSettings(null, null, 180, 90, 0.30, 0.60, null, 0.80, 0.40, 0.80,
                SegmentMap.standard(), ActionRules.defaults(), 10);
    }

    public RetentionSettings withAsOf(LocalDate date) {
        return new RetentionSettings(date, modelRunId, inactivityDays, trendDays, churnMedium, churnHigh, valueAtRiskHigh,
                valueAtRiskQuantile, valueTierLowQuantile, valueTierHighQuantile, segmentMap, actionRules, keepRuns);
    }

    public RetentionSettings withModelRunId(Long id) {
        return new RetentionSettings(asOf, id, inactivityDays, trendDays, churnMedium, churnHigh, valueAtRiskHigh,
                valueAtRiskQuantile, valueTierLowQuantile, valueTierHighQuantile, segmentMap, actionRules, keepRuns);
    }

    public RetentionSettings withInactivityDays(int days) {
        return new RetentionSettings(asOf, modelRunId, days, trendDays, churnMedium, churnHigh, valueAtRiskHigh,
                valueAtRiskQuantile, valueTierLowQuantile, valueTierHighQuantile, segmentMap, actionRules, keepRuns);
    }

    public RetentionSettings withTrendDays(int days) {
        return new RetentionSettings(asOf, modelRunId, inactivityDays, days, churnMedium, churnHigh, valueAtRiskHigh,
                valueAtRiskQuantile, valueTierLowQuantile, valueTierHighQuantile, segmentMap, actionRules, keepRuns);
    }

    public RetentionSettings withChurnThresholds(double medium, double high) {
        return new RetentionSettings(asOf, modelRunId, inactivityDays, trendDays, medium, high, valueAtRiskHigh,
                valueAtRiskQuantile, valueTierLowQuantile, valueTierHighQuantile, segmentMap, actionRules, keepRuns);
    }

    public RetentionSettings withValueAtRiskHigh(Double amount) {
        return new RetentionSettings(asOf, modelRunId, inactivityDays, trendDays, churnMedium, churnHigh, amount,
                valueAtRiskQuantile, valueTierLowQuantile, valueTierHighQuantile, segmentMap, actionRules, keepRuns);
    }

    public RetentionSettings withSegmentMap(SegmentMap map) {
        return new RetentionSettings(asOf, modelRunId, inactivityDays, trendDays, churnMedium, churnHigh, valueAtRiskHigh,
                valueAtRiskQuantile, valueTierLowQuantile, valueTierHighQuantile, map, actionRules, keepRuns);
    }

    public RetentionSettings withActionRules(ActionRules rules) {
        return new RetentionSettings(asOf, modelRunId, inactivityDays, trendDays, churnMedium, churnHigh, valueAtRiskHigh,
                valueAtRiskQuantile, valueTierLowQuantile, valueTierHighQuantile, segmentMap, rules, keepRuns);
    }

    /** The settings as plain values, for the run record. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("asOf", asOf == null ? null : asOf.toString());
        m.put("modelRunId", modelRunId);
        m.put("inactivityDays", inactivityDays);
        m.put("trendDays", trendDays);
        m.put("churnMedium", churnMedium);
        m.put("churnHigh", churnHigh);
        m.put("valueAtRiskHigh", valueAtRiskHigh);
        m.put("valueAtRiskQuantile", valueAtRiskQuantile);
        m.put("valueTierLowQuantile", valueTierLowQuantile);
        m.put("valueTierHighQuantile", valueTierHighQuantile);
        m.put("keepRuns", keepRuns);
        return m;
    }
}
