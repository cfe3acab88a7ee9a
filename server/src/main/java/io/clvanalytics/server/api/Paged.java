package io.clvanalytics.server.api;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One page of a list answer: the items plus {@code page} (1-based), {@code size}, {@code total}
 * items, {@code total_pages} and links to this, the next and the previous page (null at the ends),
 * which repeat the request's other parameters.
 */
record Paged<T>(List<T> items, int page, int size, long total, long totalPages, Links links) {

    /** Relative links (path and query) to pages of the same list. */
    record Links(String self, String next, String prev) {}

    static <T> Paged<T> of(Context ctx, List<T> items, int page, int size, long total) {
        long pages = (total + size - 1) / size;
        return new Paged<>(List.copyOf(items), page, size, total, pages, new Links(link(ctx, page),
                page < pages ? link(ctx, page + 1) : null, page > 1 ? link(ctx, (int) Math.min(page - 1, Math.max(pages, 1))) : null));
    }

    private static String link(Context ctx, int page) {
        Map<String, List<String>> params = new java.util.TreeMap<>(ctx.queryParamMap());
        params.put("page", List.of(Integer.toString(page)));
        return ctx.path() + "?" + params.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue().get(0)))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
