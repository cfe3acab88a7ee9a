package io.clvanalytics.engine;

import java.util.Map;

/**
 * A computation could not produce a trustworthy result (a model fit that did not converge, too
 * little data). Thrown instead of returning NaN; {@link #values()} carries the offending values
 * (parameters, gradient, data sizes) so the caller can show them.
 */
public class CalculationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Map<String, Object> values;

    public CalculationException(String message) {
        this(message, Map.of());
    }

    public CalculationException(String message, Map<String, Object> values) {
        super(message);
        this.values = Map.copyOf(values);
    }

    /** The values that show why the computation failed. */
    public Map<String, Object> values() {
        return values;
    }
}
