package io.clvanalytics.engine.customers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.DataVersion;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import io.clvanalytics.engine.jasper.NamedQueries;
import io.clvanalytics.engine.retention.RetentionService;
import io.clvanalytics.engine.retention.RetentionSettings;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The customer list against the same rows read one by one through the {@code customer_scores} query. */
class CustomerListTest {

    @TempDir
    static java.nio.file.Path dir;

    static Engine engine;
    /** Every customer as the report query sees it, keyed by source id. */
    static Map<String, Map<String, Object>> reference;

    @BeforeAll
    static void scoredStore() throws Exception {
        engine = Engine.open(dir.resolve("list.duckdb"));
        DemoDataGenerator.generate(engine, GeneratorConfig.defaults(600, 5).withProducts(20), DemoDataGenerator.ProgressListener.NONE, 2);
        ClvService.on(engine).score("bgnbd", 12, 0.01);
        RetentionService.of(engine).score(RetentionSettings.defaults());
        try (Connection c = engine.connect()) {
            reference = NamedQueries.find("customer_scores").orElseThrow().rows(c, Map.of()).stream()
                    .collect(Collectors.toMap(r -> (String) r.get("customer"), r -> r));
        }
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static List<CustomerRow> all(CustomerFilter filter, CustomerSort sort, boolean descending, int pageSize) {
        CustomerList list = CustomerList.on(engine);
        List<CustomerRow> out = new ArrayList<>();
        long total = -1;
        for (int offset = 0; ; offset += pageSize) {
            CustomerPage page = list.find(filter, sort, descending, offset, pageSize);
            if (total >= 0) {
                assertEquals(total, page.total(), "the total does not depend on the page");
            }
            total = page.total();
            out.addAll(page.rows());
            if (page.rows().size() < pageSize) {
                break;
            }
        }
        assertEquals(total, out.size());
        return out;
    }

    @Test
    void pagesCoverEveryCustomerOnceWithTheReportQuerysScores() {
        List<CustomerRow> rows = all(CustomerFilter.ALL, CustomerSort.CLV, true, 97);
        assertEquals(600, rows.size());
        assertEquals(600, rows.stream().map(CustomerRow::customer).distinct().count());
        for (CustomerRow r : rows) {
            Map<String, Object> ref = reference.get(r.customer());
            assertEquals(ref.get("clv"), r.clv(), r.customer());
            assertEquals(ref.get("p_alive"), r.pAlive(), r.customer());
            assertEquals(ref.get("risk_level"), r.riskLevel(), r.customer());
            assertEquals(ref.get("value_at_risk"), r.valueAtRisk(), r.customer());
            assertEquals(ref.get("segment"), r.segment(), r.customer());
        }
    }

    @Test
    void eachSortOrdersItsColumnWithEmptyValuesLastInBothDirections() {
        for (CustomerSort sort : CustomerSort.values()) {
            for (boolean desc : new boolean[] {true, false}) {
                List<CustomerRow> rows = all(CustomerFilter.ALL, sort, desc, 250);
                Comparator<Comparable<Object>> order = desc ? Comparator.reverseOrder() : Comparator.naturalOrder();
                List<Comparable<Object>> keys = rows.stream().map(r -> key(sort, r)).toList();
                int firstNull = keys.indexOf(null);
                if (firstNull >= 0) {
                    assertTrue(keys.subList(firstNull, keys.size()).stream().allMatch(Objects::isNull), sort + " nulls last");
                }
                List<Comparable<Object>> present = keys.stream().filter(Objects::nonNull).toList();
                assertEquals(present.stream().sorted(order).toList(), present, sort + (desc ? " desc" : " asc"));
                assertTrue(present.size() > 100, sort + " has values");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> key(CustomerSort sort, CustomerRow r) {
        Object v = switch (sort) {
            case CLV -> r.clv();
            case P_ALIVE -> r.pAlive();
            case LAST_PURCHASE -> r.lastPurchase();
            case VALUE_AT_RISK -> r.valueAtRisk();
        };
        return (Comparable<Object>) v;
    }

    @Test
    void filtersKeepExactlyTheMatchingCustomers() {
        CustomerRow some = all(CustomerFilter.ALL, CustomerSort.CLV, true, 500).get(10);
        List<CustomerRow> seg = all(new CustomerFilter(some.segment().toUpperCase(), null, null, null, null, null),
                CustomerSort.CLV, true, 500);
        long expected = reference.values().stream().filter(r -> some.segment().equals(r.get("segment"))).count();
        assertEquals(expected, seg.size());
        assertTrue(seg.stream().allMatch(r -> r.segment().equals(some.segment())));

        List<CustomerRow> band = all(new CustomerFilter(null, null, null, 50.0, 200.0, null), CustomerSort.CLV, false, 500);
        long inBand = reference.values().stream().map(r -> (Double) r.get("clv"))
                .filter(v -> v != null && v >= 50 && v <= 200).count();
        assertEquals(inBand, band.size());

        String risk = some.riskLevel();
        List<CustomerRow> risky = all(new CustomerFilter(null, null, risk, null, null, null), CustomerSort.VALUE_AT_RISK, true, 500);
        assertEquals(reference.values().stream().filter(r -> risk.equals(r.get("risk_level"))).count(), risky.size());

        List<CustomerRow> byId = all(new CustomerFilter(null, null, null, null, null, some.customer()), CustomerSort.CLV, true, 10);
        assertTrue(byId.stream().anyMatch(r -> r.customer().equals(some.customer())));
        String part = some.name().substring(1, Math.min(5, some.name().length())).toLowerCase();
        List<CustomerRow> byName = all(new CustomerFilter(null, null, null, null, null, part), CustomerSort.CLV, true, 500);
        assertTrue(byName.stream().allMatch(r -> r.customer().equals(part) || r.name().toLowerCase().contains(part)));
        assertTrue(byName.contains(some));
    }

    @Test
    void searchTextIsTakenLiterallyAndAPagePastTheEndStillCounts() {
        assertEquals(0, CustomerList.on(engine).find(new CustomerFilter(null, null, null, null, null, "%' OR 1=1 --"),
                CustomerSort.CLV, true, 0, 10).total());
        assertEquals(0, CustomerList.on(engine).find(new CustomerFilter(null, null, null, null, null, "_"),
                CustomerSort.CLV, true, 0, 10).total());
        CustomerPage past = CustomerList.on(engine).find(CustomerFilter.ALL, CustomerSort.CLV, true, 10_000, 10);
        assertEquals(List.of(), past.rows());
        assertEquals(600, past.total());
        CustomerFilter high = new CustomerFilter(null, null, "high", null, null, null);
        assertEquals(CustomerList.on(engine).find(high, CustomerSort.CLV, true, 0, 10).total(), CustomerList.on(engine).count(high),
                "the count alone agrees with the page's total");
        assertEquals(CustomerList.on(engine).find(high, CustomerSort.P_ALIVE, false, 5, 7).rows(),
                CustomerList.on(engine).rows(high, CustomerSort.P_ALIVE, false, 5, 7), "the rows alone agree with the page's rows");
    }

    @Test
    void badRequestsNameTheRuleBroken() {
        var e = assertThrows(IllegalArgumentException.class, () -> CustomerSort.of("name; DROP TABLE customers"));
        assertTrue(e.getMessage().contains("sort must be one of clv, p_alive, last_purchase, value_at_risk"), e.getMessage());
        assertEquals(CustomerSort.P_ALIVE, CustomerSort.of("P_ALIVE"));
        assertThrows(IllegalArgumentException.class, () -> CustomerList.on(engine).find(CustomerFilter.ALL, CustomerSort.CLV, true, 0, 501));
        assertThrows(IllegalArgumentException.class, () -> CustomerList.on(engine).find(CustomerFilter.ALL, CustomerSort.CLV, true, -1, 5));
        var band = assertThrows(IllegalArgumentException.class, () -> new CustomerFilter(null, null, null, 10.0, 5.0, null));
        assertTrue(band.getMessage().contains("min_clv"), band.getMessage());
    }

    @Test
    void theDataVersionChangesWithAScoringAndNotWithReads() {
        String before = DataVersion.of(engine);
        CustomerList.on(engine).find(CustomerFilter.ALL, CustomerSort.CLV, true, 0, 10);
        assertEquals(before, DataVersion.of(engine));
        RetentionService.of(engine).score(RetentionSettings.defaults());
        String after = DataVersion.of(engine);
        assertNotEquals(before, after);
        assertEquals(after, DataVersion.of(engine));
    }
}
