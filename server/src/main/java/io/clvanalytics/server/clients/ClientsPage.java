package io.clvanalytics.server.clients;

import io.clvanalytics.engine.customers.CustomerRow;
import java.util.List;

/**
 * One page of the clients list.
 *
 * @param query    the state (filters, sort, page)
 * @param rows     the customers on this page
 * @param total    customers matching the filters
 * @param segments the segments to filter by
 * @param scored   true when a model run has scored customers
 */
public record ClientsPage(ClientQuery query, List<CustomerRow> rows, long total, List<String> segments, boolean scored) {

    public int pages() {
        return (int) Math.max(1, (total + ClientQuery.PAGE_SIZE - 1) / ClientQuery.PAGE_SIZE);
    }

    public long first() {
        return total == 0 ? 0 : (long) (query.page() - 1) * ClientQuery.PAGE_SIZE + 1;
    }

    public long last() {
        return Math.min(total, (long) query.page() * ClientQuery.PAGE_SIZE);
    }
}
