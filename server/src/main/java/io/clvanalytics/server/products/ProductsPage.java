package io.clvanalytics.server.products;

import io.clvanalytics.server.store.Row;
import java.util.List;
import java.util.Map;

/**
 * The product catalogue.
 *
 * @param abc      the ABC class filter, empty for any
 * @param stage    the stage filter, empty for any
 * @param rows     products by revenue, highest first (at most {@link #LIMIT})
 * @param sparks   each product's last 12 months of net revenue, oldest first, as {@code data-spark} text
 */
public record ProductsPage(String abc, String stage, List<Row> rows, Map<String, String> sparks) {

    public static final int LIMIT = 200;
    public static final List<String> CLASSES = List.of("A", "B", "C");
    public static final List<String> STAGES = List.of("introduction", "growth", "maturity", "decline", "discontinued", "unclassified");

    public String spark(String product) {
        return sparks.getOrDefault(product, "");
    }
}
