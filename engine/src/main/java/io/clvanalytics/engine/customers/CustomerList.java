package io.clvanalytics.engine.customers;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The customer list: every customer with the latest scoring run's CLV and P(alive) and the latest
 * retention run's risk, filtered, sorted and paged by the store. Runs are chosen as the {@code clv}
 * query {@code customer_scores} chooses them (newest scores, newest retention run), so lists, pages
 * and reports agree. Filter values are bound to a prepared statement; the sort comes from the
 * {@link CustomerSort} allowlist.
 */
public final class CustomerList {

    /** The largest page a caller may ask for. */
    public static final int MAX_PAGE_SIZE = 500;

    /** The joined list with the filters; {@code %s} is what to select, and what follows (order, limit). */
    private static final String FILTERED = """
            WITH s AS (SELECT customer_id, p_alive, expected_purchases, clv FROM customer_scores
                       WHERE run_id = (SELECT run_id FROM customer_scores GROUP BY run_id
                                       ORDER BY max(scored_at) DESC, run_id DESC LIMIT 1)),
                 r AS (SELECT customer_id, segment, status, risk_level, churn_probability, value_at_risk, action
                       FROM retention_scores WHERE retention_run_id = (SELECT max(retention_run_id) FROM retention_scores)),
                 j AS (SELECT c.source_id AS customer, c.name, c.country, coalesce(r.segment, c.segment) AS segment,
                              coalesce(r.status, c.status) AS status, c.acquisition_date, c.last_transaction_date AS last_purchase,
                              s.clv, s.p_alive, s.expected_purchases, r.churn_probability, r.value_at_risk, r.risk_level, r.action
                       FROM customers c LEFT JOIN s ON s.customer_id = c.id LEFT JOIN r ON r.customer_id = c.id)
            SELECT %s FROM j
            WHERE (CAST(? AS VARCHAR) IS NULL OR lower(segment) = lower(CAST(? AS VARCHAR)))
              AND (CAST(? AS VARCHAR) IS NULL OR lower(status) = lower(CAST(? AS VARCHAR)))
              AND (CAST(? AS VARCHAR) IS NULL OR lower(risk_level) = lower(CAST(? AS VARCHAR)))
              AND (CAST(? AS DOUBLE) IS NULL OR clv >= CAST(? AS DOUBLE))
              AND (CAST(? AS DOUBLE) IS NULL OR clv <= CAST(? AS DOUBLE))
              AND (CAST(? AS VARCHAR) IS NULL OR customer = CAST(? AS VARCHAR)
                   OR contains(lower(name), lower(CAST(? AS VARCHAR))))
            %s
            """;
    // Rows and count are two statements: a window count(*) OVER () over the filtered list made DuckDB
    // materialise every row with all its columns before the top-N (most of the time of a page).
    private static final String ROWS = FILTERED.formatted("*", "ORDER BY %s %s NULLS LAST, customer LIMIT ? OFFSET ?");
    private static final String COUNT = FILTERED.formatted("count(*)", "");

    private final Engine engine;

    private CustomerList(Engine engine) {
        this.engine = engine;
    }

    public static CustomerList on(Engine engine) {
        return new CustomerList(engine);
    }

    /**
     * One page of the customers {@code filter} keeps, sorted by {@code sort} (then by source id),
     * customers without a value in the sort column last whatever the direction.
     *
     * @param offset how many customers of the sorted list to skip (0 or more)
     * @param limit  the page size, 1 to {@link #MAX_PAGE_SIZE}
     * @throws IllegalArgumentException naming {@code offset} or {@code limit} when out of range
     */
    public CustomerPage find(CustomerFilter filter, CustomerSort sort, boolean descending, long offset, int limit) {
        checkPage(offset, limit);
        try (Connection c = engine.connect()) {
            List<CustomerRow> rows = rows(c, filter, sort, descending, offset, limit);
            return new CustomerPage(rows, count(c, filter));
        } catch (SQLException e) {
            throw new StoreException("cannot list the customers of " + engine.file() + ": " + e.getMessage(), e);
        }
    }

    /** How many customers {@code filter} keeps (the {@code total} of every page of that filter). */
    public long count(CustomerFilter filter) {
        try (Connection c = engine.connect()) {
            return count(c, filter);
        } catch (SQLException e) {
            throw new StoreException("cannot count the customers of " + engine.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The rows of one page, as {@link #find} returns them, without counting the whole list (callers that
     * know the total, e.g. from a cached {@link #count}, save that query).
     */
    public List<CustomerRow> rows(CustomerFilter filter, CustomerSort sort, boolean descending, long offset, int limit) {
        checkPage(offset, limit);
        try (Connection c = engine.connect()) {
            return rows(c, filter, sort, descending, offset, limit);
        } catch (SQLException e) {
            throw new StoreException("cannot list the customers of " + engine.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The first {@code n} rows of the sorted list (any {@code n} from 1), as the pages of {@link #rows} would give
     * them one after another: for callers that cache the first pages of a list as one answer.
     *
     * @throws IllegalArgumentException naming {@code n} when it is below 1
     */
    public List<CustomerRow> first(CustomerFilter filter, CustomerSort sort, boolean descending, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be 1 or more (got " + n + ")");
        }
        try (Connection c = engine.connect()) {
            return rows(c, filter, sort, descending, 0, n);
        } catch (SQLException e) {
            throw new StoreException("cannot list the customers of " + engine.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every customer of the list, read in one query, to be filtered, sorted and paged in memory with the same answers
     * as this class gives (for callers that answer many pages between two data changes).
     */
    public CustomerListInMemory inMemory() {
        try (Connection c = engine.connect()) {
            return new CustomerListInMemory(rows(c, CustomerFilter.ALL, CustomerSort.CLV, true, 0, Integer.MAX_VALUE));
        } catch (SQLException e) {
            throw new StoreException("cannot list the customers of " + engine.file() + ": " + e.getMessage(), e);
        }
    }

    static void checkPage(long offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more (got " + offset + ")");
        }
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE_SIZE + " (got " + limit + ")");
        }
    }

    private static void bindFilter(PreparedStatement ps, CustomerFilter f) throws SQLException {
        Object[] values = {f.segment(), f.segment(), f.status(), f.status(), f.riskLevel(), f.riskLevel(),
                f.minClv(), f.minClv(), f.maxClv(), f.maxClv(), f.search(), f.search(), f.search()};
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
    }

    private static long count(Connection c, CustomerFilter f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNT)) {
            bindFilter(ps, f);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<CustomerRow> rows(Connection c, CustomerFilter f, CustomerSort sort, boolean descending, long offset,
                                          int limit) throws SQLException {
        List<CustomerRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(ROWS.formatted(sort.column(), descending ? "DESC" : "ASC"))) {
            bindFilter(ps, f);
            ps.setObject(14, limit);
            ps.setObject(15, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CustomerRow(rs.getString("customer"), rs.getString("name"), rs.getString("country"),
                            rs.getString("segment"), rs.getString("status"), rs.getObject("acquisition_date", LocalDate.class),
                            rs.getObject("last_purchase", LocalDate.class), number(rs, "clv"), number(rs, "p_alive"),
                            number(rs, "expected_purchases"), number(rs, "churn_probability"), number(rs, "value_at_risk"),
                            rs.getString("risk_level"), rs.getString("action")));
                }
            }
        }
        return out;
    }

    private static Double number(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
