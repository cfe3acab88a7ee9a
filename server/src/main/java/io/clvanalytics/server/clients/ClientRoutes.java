package io.clvanalytics.server.clients;

import io.clvanalytics.engine.customers.CustomerFilter;
import io.clvanalytics.engine.customers.CustomerSort;
import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.store.Row;
import io.clvanalytics.server.web.HttpError;
import io.clvanalytics.server.web.PageContext;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * The customers list (filters, search, sort and pages, updated in place by htmx with the state in
 * the URL) and one customer's page.
 */
public final class ClientRoutes {

    private ClientRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        app.get("/clients", ctx -> list(ctx, deps), Role.ANALYST, Role.ADMIN);
        app.get("/clients/{id}", ctx -> detail(ctx, deps), Role.ANALYST, Role.ADMIN);
        // The first page of the list as it opens (on a store held in memory, that reads every customer's profile too).
        deps.store().warmWith(() -> deps.store().customers(CustomerFilter.ALL, CustomerSort.CLV, true, 0, ClientQuery.PAGE_SIZE));
    }

    /** An htmx request that swaps only the results (a history restore needs the whole page). */
    static boolean partial(Context ctx) {
        return "true".equals(ctx.header("HX-Request")) && !"true".equals(ctx.header("HX-History-Restore-Request"));
    }

    private static void list(Context ctx, ServerDeps deps) {
        ClientQuery q = ClientQuery.of(ctx);
        var found = deps.store().customers(q.filter(), q.engineSort(), q.dir().equals("desc"), q.offset(), ClientQuery.PAGE_SIZE);
        List<String> segments = deps.store().rows("clv_by_segment", Map.of()).stream().map(r -> r.text("segment")).sorted().toList();
        boolean scored = deps.store().row("kpis", Map.of()).map(r -> r.count("scored_customers")).orElse(0L) > 0;
        ClientsPage view = new ClientsPage(q, found.rows(), found.total(), segments, scored);
        ctx.header("Vary", "HX-Request");
        if (partial(ctx)) {
            deps.views().send(ctx, "clients/results.jte", Map.of("view", view));
        } else {
            deps.views().send(ctx, "clients/list.jte", Map.of("page", PageContext.of(ctx, deps.store()), "view", view));
        }
    }

    private static void detail(Context ctx, ServerDeps deps) {
        String id = ctx.pathParam("id");
        String p = ctx.queryParam("page");
        int page = 1;
        if (p != null && !p.isBlank()) {
            if (!p.matches("[0-9]{1,6}") || Integer.parseInt(p) < 1) {
                throw HttpError.badField("page", "page must be a whole number from 1");
            }
            page = Integer.parseInt(p);
        }
        Row profile = deps.store().customerProfile(id).map(Row::new)
                .orElseThrow(() -> HttpError.notFound("No customer has the id " + id + "."));
        List<Row> tx = deps.store().customerTransactions(id, (long) (page - 1) * ClientDetail.PAGE_SIZE, ClientDetail.PAGE_SIZE + 1)
                .stream().map(Row::new).toList();
        boolean more = tx.size() > ClientDetail.PAGE_SIZE;
        ClientDetail view = new ClientDetail(profile, more ? tx.subList(0, ClientDetail.PAGE_SIZE) : tx, page, more);
        deps.views().send(ctx, "clients/detail.jte", Map.of("page", PageContext.of(ctx, deps.store()), "view", view));
    }
}
