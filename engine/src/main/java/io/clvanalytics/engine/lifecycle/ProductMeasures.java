package io.clvanalytics.engine.lifecycle;

/**
 * The product measures the command line ({@code clv products}) and the reports both show, as SQL over
 * transaction lines aliased {@code alias} (columns of {@code transactions}): one definition each, so the
 * catalogue and the product report cannot disagree. Growth and lifecycle stage are not measures of lines:
 * both read the stored result of the product analysis ({@code product_lifecycle}).
 */
public final class ProductMeasures {

    private ProductMeasures() {}

    /** Units of one line: the absolute quantity, 1 for a line without one. */
    public static String lineUnits(String alias) {
        return "coalesce(abs(" + alias + ".quantity), 1)";
    }

    /** Units sold: the units of the lines that are not returns (a whole number for whole quantities). */
    public static String unitsSold(String alias) {
        return "coalesce(sum(" + lineUnits(alias) + ") FILTER (WHERE NOT " + alias + ".is_return), 0)";
    }

    /** Net units: units sold less units returned, as the catalogue's "units" column ({@link ProductMetrics#netUnits()}). */
    public static String netUnits(String alias) {
        return unitsSold(alias) + " - coalesce(sum(" + lineUnits(alias) + ") FILTER (WHERE " + alias + ".is_return), 0)";
    }

    /** Customers: identified customers with a line that is not a return (a return-only buyer is not one). */
    public static String customers(String alias) {
        return "count(DISTINCT " + alias + ".customer_id) FILTER (WHERE NOT " + alias + ".is_return)";
    }

    /** Net revenue: amounts of sales less returns. */
    public static String netRevenue(String alias) {
        return "sum(" + alias + ".amount)";
    }
}
