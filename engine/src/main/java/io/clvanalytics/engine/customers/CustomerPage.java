package io.clvanalytics.engine.customers;

import java.util.List;

/**
 * One page of a customer list.
 *
 * @param rows  the customers of the page, in the list's order
 * @param total how many customers the whole filtered list holds
 */
public record CustomerPage(List<CustomerRow> rows, long total) {

    public CustomerPage {
        rows = List.copyOf(rows);
    }
}
