package io.clvanalytics.engine.customers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import io.clvanalytics.engine.retention.RetentionService;
import io.clvanalytics.engine.retention.RetentionSettings;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The list held in memory answers every filter, sort and page exactly as the store's query does. */
class CustomerListInMemoryTest {

    @TempDir
    static java.nio.file.Path dir;

    static Engine engine;

    @BeforeAll
    static void scoredStoreWithUnscoredAndOddlyNamedCustomers() throws Exception {
        engine = Engine.open(dir.resolve("memory.duckdb"));
        DemoDataGenerator.generate(engine, GeneratorConfig.defaults(600, 9).withProducts(20), DemoDataGenerator.ProgressListener.NONE, 2);
        ClvService.on(engine).score("bgnbd", 12, 0.01);
        RetentionService.of(engine).score(RetentionSettings.defaults());
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            // No scores and no retention row: empty sort values, which sort last both ways.
            st.execute("INSERT INTO customers (id, source_id, name) SELECT max(id) + 1, 'Z-unscored', 'ÜNSCORED İstanbul' FROM customers");
            st.execute("INSERT INTO customers (id, source_id, name) SELECT max(id) + 1, 'A-unscored', NULL FROM customers");
            st.execute("UPDATE customers SET name = '<script>Ärger 😀</script>' WHERE source_id = (SELECT min(source_id) FROM customers)");
        }
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void everyFilterSortAndPageGivesTheQuerysRowsAndCount() {
        CustomerList sql = CustomerList.on(engine);
        CustomerListInMemory memory = sql.inMemory();
        List<CustomerRow> all = sql.first(CustomerFilter.ALL, CustomerSort.CLV, true, 10_000);
        assertEquals(602, memory.size());
        assertEquals(602, all.size());

        List<CustomerFilter> filters = new ArrayList<>();
        filters.add(CustomerFilter.ALL);
        for (CustomerRow r : all.subList(0, 40)) {
            filters.add(new CustomerFilter(r.segment(), null, null, null, null, null));
            filters.add(new CustomerFilter(r.segment() == null ? null : r.segment().toUpperCase(Locale.ROOT), r.status(), null, null, null, null));
            filters.add(new CustomerFilter(null, null, r.riskLevel(), null, null, null));
        }
        for (String risk : List.of("low", "MEDIUM", "high", "critical", "none")) {
            filters.add(new CustomerFilter(null, null, risk, null, null, null));
            filters.add(new CustomerFilter(null, "active", risk, 10.0, null, null));
        }
        for (double clv : new double[] {0, 10, 50, 100, 250}) {
            filters.add(new CustomerFilter(null, null, null, clv, null, null));
            filters.add(new CustomerFilter(null, null, null, null, clv, null));
            filters.add(new CustomerFilter(null, null, null, clv / 2, clv, null));
        }
        for (String search : List.of(all.get(7).customer(), "Z-unscored", "ünscored", "İSTANBUL", "script", "ärger", "😀", "a", "zz-none")) {
            filters.add(new CustomerFilter(null, null, null, null, null, search));
        }
        int compared = 0;
        for (CustomerFilter filter : filters.stream().distinct().toList()) {
            long count = sql.count(filter);
            assertEquals(count, memory.count(filter), "count of " + filter);
            for (CustomerSort sort : CustomerSort.values()) {
                for (boolean desc : new boolean[] {true, false}) {
                    for (long[] page : new long[][] {{0, 25}, {25, 25}, {580, 50}, {0, 500}}) {
                        assertEquals(sql.rows(filter, sort, desc, page[0], (int) page[1]), memory.rows(filter, sort, desc, page[0], (int) page[1]),
                                filter + " " + sort + (desc ? " desc" : " asc") + " offset " + page[0] + " limit " + page[1]);
                        compared++;
                    }
                }
            }
        }
        assertTrue(compared > 1_000, "compared " + compared + " pages");
    }

    @Test
    void textIsOrderedByCodePointsAsDuckDbOrdersItsBytes() {
        assertTrue(CustomerListInMemory.compareCodePoints("\uFFFD", "😀") < 0, "a character above the surrogates sorts before an emoji");
        assertTrue("\uFFFD".compareTo("😀") > 0, "which Java's String order would put after it");
        assertTrue(CustomerListInMemory.compareCodePoints("C1", "C10") < 0);
        assertEquals(0, CustomerListInMemory.compareCodePoints("ä", "ä"));
    }
}
