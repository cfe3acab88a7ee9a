package io.clvanalytics.server.web;

import io.clvanalytics.server.auth.CurrentUser;
import io.javalin.http.Context;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request: request id, method, route template, status, duration and user. The
 * id is sent back as {@code X-Request-Id} so a user can quote it. Never logs query strings,
 * headers, bodies, tokens or session ids.
 */
public final class RequestLog {

    private static final Logger LOG = LoggerFactory.getLogger("clv.requests");
    private static final String ATTRIBUTE = "clv.requestId";

    private RequestLog() {}

    /** Gives the request its id; call first, in a {@code before} handler. */
    public static void start(Context ctx) {
        String id = UUID.randomUUID().toString().substring(0, 13);
        ctx.attribute(ATTRIBUTE, id);
        ctx.header("X-Request-Id", id);
    }

    /** The request's id, {@code -} if none was given. */
    public static String id(Context ctx) {
        Object id = ctx.attribute(ATTRIBUTE);
        return id == null ? "-" : id.toString();
    }

    /** Writes the request's line; the Javalin request logger calls it once the answer is complete. */
    public static void finish(Context ctx, float durationMs) {
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (RuntimeException noEndpoint) {
            route = null;
        }
        if (route == null || route.isEmpty() || route.equals("*")) {
            route = ctx.statusCode() == 404 ? "(unmatched)" : "(static)";
        }
        LOG.info("request={} method={} route={} status={} durationMs={} user={}", id(ctx), ctx.method(), route,
                ctx.statusCode(), Math.round(durationMs), CurrentUser.nameForLog(ctx));
    }
}
