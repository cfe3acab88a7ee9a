package io.clvanalytics.server.web;

import io.clvanalytics.server.auth.CurrentUser;
import io.clvanalytics.server.auth.RequestKind;
import io.clvanalytics.server.store.HeavyWork;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.validation.ValidationException;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an answer that shows no internals: an HTML page in the layout for
 * browsers, {@link ErrorBody} JSON for API paths ({@link RequestKind#isApi}). Unexpected exceptions
 * are logged with the request id and answered 500 with only that id.
 */
public final class ErrorPages {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorPages.class);

    /** Set once an exception handler answered, so the status handlers do not answer twice. */
    private static final String ANSWERED = "clv.errorAnswered";

    private ErrorPages() {}

    /** Installs the exception and status handlers on {@code app}. */
    public static void install(Javalin app, Views views) {
        app.exception(HttpError.class, (e, ctx) -> answer(ctx, views, e.status(), e.code(), e.getMessage(), e.field()));
        app.exception(HttpResponseException.class, (e, ctx) -> {
            HttpStatus status = HttpStatus.forStatus(e.getStatus());
            String message = e.getStatus() == 403 && RequestKind.isApi(ctx.path()) ? apiRefusal(ctx) : message(status);
            answer(ctx, views, e.getStatus(), code(status), message, null);
        });
        app.exception(ValidationException.class, (e, ctx) -> {
            Map.Entry<String, ?> first = e.getErrors().entrySet().iterator().next();
            answer(ctx, views, 400, "bad_request", "invalid value of '" + first.getKey() + "'", first.getKey());
        });
        app.exception(HeavyWork.Busy.class, (e, ctx) -> answer(ctx, views, 503, "busy", e.getMessage(), null));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("request={} {} {} failed", RequestLog.id(ctx), ctx.method(), ctx.path(), e);
            answer(ctx, views, 500, "internal_error", "Something went wrong on the server (request "
                    + RequestLog.id(ctx) + "). The error was logged.", null);
        });
        app.error(404, ctx -> {
            if (ctx.attribute(ANSWERED) == null) {
                answer(ctx, views, 404, "not_found", "There is nothing at this address.", null);
            }
        });
        app.error(405, ctx -> {
            if (ctx.attribute(ANSWERED) == null) {
                answer(ctx, views, 405, "method_not_allowed", "This address does not take this method.", null);
            }
        });
    }

    private static void answer(Context ctx, Views views, int status, String code, String message, String field) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(status);
        if (RequestKind.isApi(ctx.path())) {
            ctx.json(ErrorBody.of(code, message, field));
        } else {
            String title = HttpStatus.forStatus(status).getMessage();
            views.error(ctx, PageContext.withoutStore(ctx), status, title, message);
        }
    }

    /**
     * A refused API call names the token's user, the role it has and the roles the route needs (the API has no
     * CSRF check, so a 403 there is always the role): a reporting server shows this to whoever set the token up.
     */
    private static String apiRefusal(Context ctx) {
        var user = CurrentUser.of(ctx);
        String needs = ctx.routeRoles().stream().map(r -> r.toString().toLowerCase(Locale.ROOT)).sorted()
                .collect(Collectors.joining(" or "));
        if (user.isEmpty() || needs.isEmpty()) {
            return message(HttpStatus.FORBIDDEN);
        }
        String has = user.get().roles().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(", "));
        return "user '" + user.get().name() + "' (role " + has + ") may not use " + ctx.method() + " " + ctx.endpointHandlerPath()
                + ": it needs role " + needs;
    }

    private static String code(HttpStatus status) {
        return switch (status.getCode()) {
            case 400 -> "bad_request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            default -> status.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String message(HttpStatus status) {
        return switch (status.getCode()) {
            case 401 -> "Sign in first, or send a valid API token (Authorization: Bearer ...).";
            case 403 -> "You may not do this: your role does not allow it, or the form was stale (reload the page).";
            case 404 -> "There is nothing at this address.";
            case 400 -> "The request was malformed.";
            default -> status.getMessage();
        };
    }
}
