package io.clvanalytics.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.customers.CustomerFilter;
import io.clvanalytics.engine.customers.CustomerList;
import io.clvanalytics.engine.customers.CustomerSort;
import io.clvanalytics.server.ApiTestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store's faster ways to answer give the engine's answers: profiles kept in memory, pages cut from a cached prefix. */
class StoreReadsTest {

    private final ApiTestServer s = ApiTestServer.shared();
    private final Store store = s.deps.store();

    @Test
    void everyCustomersNewestLinesFromMemoryEqualTheEnginesQueryForThatCustomer() {
        assertTrue(store.customersInMemory() != null, "a store of 600 customers is kept in memory");
        int checked = 0;
        for (Map<String, Object> p : store.named("customer_profile", Map.of())) {
            String id = (String) p.get("customer");
            for (int[] page : new int[][] {{0, 20}, {0, Store.TRANSACTIONS_IN_MEMORY}, {5, 3}, {20, 21}}) {
                assertEquals(store.named("customer_transactions", Map.of("customer", id, "limit", page[1], "offset", page[0])),
                        store.customerTransactions(id, page[0], page[1]), id + " offset " + page[0] + " limit " + page[1]);
            }
            if (++checked == 60) {
                break;
            }
        }
        var lines = store.named("customer_transactions", Map.of("customer", s.scriptCustomer));
        assertTrue(lines.size() > 0 && lines.stream().allMatch(l -> s.scriptCustomer.equals(l.get("customer"))));
        assertTrue(store.customerTransactions("C9999999", 0, 20).isEmpty());
    }

    @Test
    void everyCustomersProfileFromMemoryEqualsTheEnginesQueryForThatCustomer() {
        List<Map<String, Object>> all = store.named("customer_profile", Map.of());
        assertTrue(all.size() > 500, "the query without a customer answers every customer: " + all.size());
        for (int i = 0; i < all.size(); i += 37) {
            String id = (String) all.get(i).get("customer");
            Map<String, Object> single = store.named("customer_profile", Map.of("customer", id)).get(0);
            assertEquals(single, all.get(i), "the query for one customer and for all agree on " + id);
            assertEquals(single, store.customerProfile(id).orElseThrow(), "the profile kept in memory for " + id);
        }
        String script = s.scriptCustomer;
        assertEquals(ApiTestServer.SCRIPT_NAME, store.customerProfile(script).orElseThrow().get("name"));
        assertTrue(store.customerProfile("C9999999").isEmpty(), "an unknown customer has no profile");
        assertTrue(store.named("customer_profile", Map.of("customer", "C9999999")).isEmpty());
    }

    @Test
    void pagesFromMemoryAndPagesCutFromTheCachedFirstRowsEqualPagesReadFromTheEngine() {
        try (Store large = new Store(s.engine, new QueryCache(1_000, java.time.Duration.ofMinutes(5),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), 0)) {
            assertTrue(large.customersInMemory() == null, "a store over the limit keeps nothing in memory");
            CustomerList engineList = CustomerList.on(s.engine);
            CustomerFilter highRisk = new CustomerFilter(null, null, "high", null, null, null);
            for (Store st : List.of(store, large)) {
                for (CustomerFilter filter : List.of(CustomerFilter.ALL, highRisk)) {
                    for (CustomerSort sort : CustomerSort.values()) {
                        for (boolean descending : new boolean[] {true, false}) {
                            for (long[] page : new long[][] {{0, 25}, {25, 25}, {100, 100}, {Store.LIST_PREFIX_ROWS - 10, 20}, {590, 50},
                                    {Store.LIST_PREFIX_ROWS, 10}}) {
                                var cached = st.customers(filter, sort, descending, page[0], (int) page[1]);
                                assertEquals(engineList.rows(filter, sort, descending, page[0], (int) page[1]), cached.rows(),
                                        filter + " " + sort + (descending ? " desc" : " asc") + " offset " + page[0] + " size " + page[1]);
                                assertEquals(engineList.count(filter), cached.total());
                            }
                        }
                    }
                }
            }
            String id = s.scriptCustomer;
            assertEquals(store.customerProfile(id), large.customerProfile(id), "a profile read alone equals the one kept in memory");
            assertEquals(store.customerTransactions(id, 0, 20), large.customerTransactions(id, 0, 20));
        }
    }
}
