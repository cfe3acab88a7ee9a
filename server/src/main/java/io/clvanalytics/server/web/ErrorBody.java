package io.clvanalytics.server.web;

/**
 * The one JSON error format of the API: {@code {"error": {"code": .., "message": .., "field": ..}}}.
 * {@code field} is null unless one input field is at fault.
 */
public record ErrorBody(Detail error) {

    /** The error itself. */
    public record Detail(String code, String message, String field) {}

    public static ErrorBody of(String code, String message, String field) {
        return new ErrorBody(new Detail(code, message, field));
    }
}
