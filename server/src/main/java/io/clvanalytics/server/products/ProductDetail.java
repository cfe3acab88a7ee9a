package io.clvanalytics.server.products;

import io.clvanalytics.engine.lifecycle.CustomerProfile;
import io.clvanalytics.engine.lifecycle.ProductLifecycle;
import io.clvanalytics.server.store.Row;
import java.util.List;

/**
 * One product's lifecycle page.
 *
 * @param lifecycle the stage, its evidence, the monthly series and the stage history
 * @param related   products bought with it (lift, confidence)
 * @param buyers    its buyers against all customers
 */
public record ProductDetail(ProductLifecycle lifecycle, List<Row> related, CustomerProfile buyers) {}
