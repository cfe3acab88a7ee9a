package io.clvanalytics.server.clients;

import io.clvanalytics.engine.customers.CustomerFilter;
import io.clvanalytics.engine.customers.CustomerSort;
import io.clvanalytics.server.web.HttpError;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of the clients list as the URL carries it (so it can be shared and the back button
 * restores it), validated once here: the same rules as the form's {@code pattern}/{@code maxlength}.
 *
 * @param search  exact customer id or part of the name, empty for none
 * @param segment segment filter, empty for any
 * @param status  status filter, empty for any
 * @param risk    risk level filter, empty for any
 * @param sort    one of {@link #SORTS}
 * @param dir     {@code desc} or {@code asc}
 * @param page    1-based page number
 */
public record ClientQuery(String search, String segment, String status, String risk, String sort, String dir, int page) {

    /** Sort keys, as the engine's {@link CustomerSort} names them, with their labels. */
    public static final Map<String, String> SORTS = orderedMap("clv", "CLV", "p_alive", "P(alive)", "last_purchase", "Last purchase",
            "value_at_risk", "Value at risk");
    public static final List<String> STATUSES = List.of("active", "at risk", "churned");
    public static final List<String> RISKS = List.of("low", "medium", "high", "critical");
    public static final int PAGE_SIZE = 25;
    static final int MAX_TEXT = 100;

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Reads and checks the query string; a value breaking a rule is a 400 naming the field. */
    public static ClientQuery of(Context ctx) {
        String sort = text(ctx, "sort");
        if (sort.isEmpty()) {
            sort = "clv";
        } else if (!SORTS.containsKey(sort)) {
            throw HttpError.badField("sort", "sort must be one of " + SORTS.keySet());
        }
        String dir = text(ctx, "dir");
        if (dir.isEmpty()) {
            dir = "desc";
        } else if (!dir.equals("asc") && !dir.equals("desc")) {
            throw HttpError.badField("dir", "dir must be asc or desc");
        }
        String status = text(ctx, "status");
        if (!status.isEmpty() && !STATUSES.contains(status)) {
            throw HttpError.badField("status", "status must be one of " + STATUSES);
        }
        String risk = text(ctx, "risk");
        if (!risk.isEmpty() && !RISKS.contains(risk)) {
            throw HttpError.badField("risk", "risk must be one of " + RISKS);
        }
        String p = text(ctx, "page");
        int page = 1;
        if (!p.isEmpty()) {
            if (!p.matches("[0-9]{1,6}") || Integer.parseInt(p) < 1) {
                throw HttpError.badField("page", "page must be a whole number from 1");
            }
            page = Integer.parseInt(p);
        }
        return new ClientQuery(text(ctx, "q"), text(ctx, "segment"), status, risk, sort, dir, page);
    }

    private static String text(Context ctx, String name) {
        String v = ctx.queryParam(name);
        v = v == null ? "" : v.trim();
        if (v.length() > MAX_TEXT) {
            throw HttpError.badField(name, name + " must be at most " + MAX_TEXT + " characters");
        }
        return v;
    }

    /** The engine's filter for this state. */
    public CustomerFilter filter() {
        return new CustomerFilter(segment, status, risk, null, null, search);
    }

    /** The engine's sort key for this state (checked against {@link #SORTS} already). */
    public CustomerSort engineSort() {
        return CustomerSort.of(sort);
    }

    /** The first row of this page. */
    public long offset() {
        return (long) (page - 1) * PAGE_SIZE;
    }

    /** The URL of this state on another page. */
    public String url(int toPage) {
        return url(toPage, sort, dir);
    }

    /** The URL of this state sorted by {@code key} (toggles the direction when already sorted by it), page 1. */
    public String sortUrl(String key) {
        return url(1, key, key.equals(sort) && dir.equals("desc") ? "asc" : "desc");
    }

    private String url(int toPage, String s, String d) {
        StringBuilder b = new StringBuilder("/clients?");
        append(b, "q", search);
        append(b, "segment", segment);
        append(b, "status", status);
        append(b, "risk", risk);
        append(b, "sort", s);
        append(b, "dir", d);
        append(b, "page", Integer.toString(toPage));
        return b.substring(0, b.length() - 1);
    }

    private static void append(StringBuilder b, String k, String v) {
        if (!v.isEmpty()) {
            b.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
        }
    }
}
