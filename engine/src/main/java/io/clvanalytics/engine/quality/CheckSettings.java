package io.clvanalytics.engine.quality;

import java.util.Map;

/**
 * A check as this store runs it: enabled or switched off, its effective thresholds and
 * parameters (defaults with the store's overrides from {@code quality_thresholds}).
 */
public record CheckSettings(QualityCheck check, boolean enabled, Thresholds thresholds, Map<String, Object> params) {

    public CheckSettings {
        params = Map.copyOf(params);
    }

    public String name() {
        return check.name();
    }
}
