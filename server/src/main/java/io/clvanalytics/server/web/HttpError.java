package io.clvanalytics.server.web;

/**
 * A refusal to show the client: the status, a stable code, a message safe to show (no internals)
 * and, for bad input, the field at fault. API clients get it as
 * {@code {"error": {"code", "message", "field"}}}, browsers as an error page.
 */
public final class HttpError extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    public HttpError(int status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    /** 400: {@code field} broke the rule {@code message} states. */
    public static HttpError badField(String field, String message) {
        return new HttpError(400, "bad_request", message, field);
    }

    /** 404 with a message naming what was not found. */
    public static HttpError notFound(String message) {
        return new HttpError(404, "not_found", message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The input field at fault, or null. */
    public String field() {
        return field;
    }
}
