package io.clvanalytics.server.clients;

import io.clvanalytics.server.store.Row;
import java.util.List;

/**
 * One customer: identity, scores, recommendation and one page of purchases.
 *
 * @param profile      the engine's {@code customer_profile} row
 * @param transactions this page of the purchase history, newest first
 * @param page         1-based page of the history
 * @param hasMore      true when an older page exists
 */
public record ClientDetail(Row profile, List<Row> transactions, int page, boolean hasMore) {

    public static final int PAGE_SIZE = 20;

    /** The URL of this customer's page {@code p} of the history. */
    public String pageUrl(int p) {
        return "/clients/" + java.net.URLEncoder.encode(profile.text("customer"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20") + "?page=" + p;
    }
}
