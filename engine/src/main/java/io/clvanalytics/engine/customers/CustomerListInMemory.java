package io.clvanalytics.engine.customers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The customer list held in memory: every row of {@link CustomerList} read once ({@link CustomerList#inMemory}), then
 * filtered, sorted and paged without a query, with the same answers as {@link CustomerList#rows} and
 * {@link CustomerList#count} on the same data (CustomerListInMemoryTest compares them for every filter and sort). For
 * a server answering many list requests between two data changes: a DuckDB query costs milliseconds even for one row,
 * a pass over 100,000 rows in memory a fraction of one. Safe to share between threads (its rows never change); it does not see
 * later changes of the store. It remembers the rows each filter and sort keeps (up to {@value #REMEMBERED} of them), so
 * the next pages of a list cost a copy of the page.
 */
public final class CustomerListInMemory {

    private final CustomerRow[] rows;
    /** Per sort, the row indexes ascending and descending, as {@code ORDER BY column dir NULLS LAST, customer}. */
    private final int[][] ascending = new int[CustomerSort.values().length][];
    private final int[][] descending = new int[CustomerSort.values().length][];

    CustomerListInMemory(List<CustomerRow> all) {
        rows = all.toArray(new CustomerRow[0]);
        for (CustomerSort sort : CustomerSort.values()) {
            ascending[sort.ordinal()] = order(sort, false);
            descending[sort.ordinal()] = order(sort, true);
        }
    }

    /** How many customers the list holds. */
    public int size() {
        return rows.length;
    }

    /** As {@link CustomerList#rows}: one page of the customers {@code filter} keeps, sorted by {@code sort}, then source id. */
    public List<CustomerRow> rows(CustomerFilter filter, CustomerSort sort, boolean descendingOrder, long offset, int limit) {
        CustomerList.checkPage(offset, limit);
        int[] kept = kept(filter, sort, descendingOrder);
        int from = (int) Math.min(offset, kept.length);
        int to = (int) Math.min(offset + limit, kept.length);
        List<CustomerRow> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(rows[kept[i]]);
        }
        return List.copyOf(out);
    }

    /** As {@link CustomerList#count}: how many customers {@code filter} keeps. */
    public long count(CustomerFilter filter) {
        return kept(filter, CustomerSort.CLV, true).length;
    }

    /** How many (filter, sort) answers are remembered; past that they are all forgotten (at most this many row index arrays). */
    static final int REMEMBERED = 256;
    private record Asked(CustomerFilter filter, CustomerSort sort, boolean descending) {}
    private final ConcurrentHashMap<Asked, int[]> remembered = new ConcurrentHashMap<>();

    /** The indexes of the rows {@code filter} keeps in {@code sort} order, remembered: people page through one list. */
    private int[] kept(CustomerFilter filter, CustomerSort sort, boolean descendingOrder) {
        Asked asked = new Asked(filter, sort, descendingOrder);
        int[] kept = remembered.get(asked);
        if (kept == null) {
            Matcher m = new Matcher(filter);
            kept = Arrays.stream((descendingOrder ? descending : ascending)[sort.ordinal()]).filter(i -> m.keeps(rows[i])).toArray();
            if (remembered.size() >= REMEMBERED) {
                remembered.clear();
            }
            remembered.put(asked, kept);
        }
        return kept;
    }

    private int[] order(CustomerSort sort, boolean desc) {
        Function<CustomerRow, Comparable<?>> key = switch (sort) {
            case CLV -> CustomerRow::clv;
            case P_ALIVE -> CustomerRow::pAlive;
            case LAST_PURCHASE -> CustomerRow::lastPurchase;
            case VALUE_AT_RISK -> CustomerRow::valueAtRisk;
        };
        @SuppressWarnings({"unchecked", "rawtypes"})
        Comparator<Comparable> values = desc ? Comparator.reverseOrder() : Comparator.naturalOrder();
        @SuppressWarnings({"unchecked", "rawtypes"})
        Comparator<Integer> bySort = Comparator.comparing(i -> (Comparable) key.apply(rows[i]), Comparator.nullsLast(values));
        Comparator<Integer> byCustomer = (a, b) -> compareCodePoints(rows[a].customer(), rows[b].customer());
        Integer[] idx = new Integer[rows.length];
        Arrays.setAll(idx, i -> i);
        Arrays.sort(idx, bySort.thenComparing(byCustomer));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /** DuckDB orders text by its UTF-8 bytes, which is the order of code points (not of Java's UTF-16 units). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** {@link CustomerList}'s WHERE clause: every given filter holds; text compared lower-cased. */
    private static final class Matcher {
        private final CustomerFilter f;
        private final String segment;
        private final String status;
        private final String risk;
        private final String search;

        Matcher(CustomerFilter f) {
            this.f = f;
            segment = lower(f.segment());
            status = lower(f.status());
            risk = lower(f.riskLevel());
            search = lower(f.search());
        }

        boolean keeps(CustomerRow r) {
            return (segment == null || segment.equals(lower(r.segment())))
                    && (status == null || status.equals(lower(r.status())))
                    && (risk == null || risk.equals(lower(r.riskLevel())))
                    && (f.minClv() == null || r.clv() != null && r.clv() >= f.minClv())
                    && (f.maxClv() == null || r.clv() != null && r.clv() <= f.maxClv())
                    && (search == null || f.search().equals(r.customer()) || r.name() != null && lower(r.name()).contains(search));
        }

        private static String lower(String s) {
            return s == null ? null : s.toLowerCase(Locale.ROOT);
        }
    }
}
