package io.clvanalytics.engine.customers;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The columns a customer list can be sorted by: the allowlist that stands between a request's
 * {@code sort} value and the SQL {@code ORDER BY} (only these fixed expressions ever reach SQL).
 */
public enum CustomerSort {
    CLV("clv", "clv"),
    P_ALIVE("p_alive", "p_alive"),
    LAST_PURCHASE("last_purchase", "last_purchase"),
    VALUE_AT_RISK("value_at_risk", "value_at_risk");

    private final String param;
    private final String column;

    CustomerSort(String param, String column) {
        this.param = param;
        this.column = column;
    }

    /** The name clients use ({@code clv}, {@code p_alive}, {@code last_purchase}, {@code value_at_risk}). */
    public String param() {
        return param;
    }

    String column() {
        return column;
    }

    /**
     * The sort called {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the allowed values when {@code name} is none of them
     */
    public static CustomerSort of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.param.equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("sort must be one of " + allowed() + " (got \"" + name + "\")"));
    }

    /** The allowed names, comma separated. */
    public static String allowed() {
        return Arrays.stream(values()).map(CustomerSort::param).collect(Collectors.joining(", "));
    }
}
