package io.clvanalytics.engine.customers;

/**
 * Which customers a list shows; every field is optional (null: no filter) and all given ones must hold.
 *
 * @param segment   the segment, case-insensitive (the latest retention run's segment, else the stored one)
 * @param status    the status, case-insensitive (as for segment)
 * @param riskLevel the latest retention run's risk level, case-insensitive
 * @param minClv    CLV of the latest scoring run at least this
 * @param maxClv    CLV of the latest scoring run at most this
 * @param search    the customer's source id exactly, or text contained in the name (case-insensitive, taken literally)
 */
public record CustomerFilter(String segment, String status, String riskLevel, Double minClv, Double maxClv, String search) {

    /** No filter: every customer. */
    public static final CustomerFilter ALL = new CustomerFilter(null, null, null, null, null, null);

    public CustomerFilter {
        segment = blankToNull(segment);
        status = blankToNull(status);
        riskLevel = blankToNull(riskLevel);
        search = blankToNull(search);
        if (minClv != null && maxClv != null && minClv > maxClv) {
            throw new IllegalArgumentException("min_clv (" + minClv + ") must not be above max_clv (" + maxClv + ")");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
