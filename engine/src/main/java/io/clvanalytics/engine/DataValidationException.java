package io.clvanalytics.engine;

import java.util.List;

/**
 * Input broke a rule. The message names the file, line, column or field and the rule; {@link
 * #problems()} carries each offending row or value (the first ones, when there are many).
 * Callers map it to exit code 2 on the command line and to HTTP 400 on the web.
 */
public class DataValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public DataValidationException(String message) {
        this(message, List.of());
    }

    public DataValidationException(String message, List<String> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** Each offending row or value as {@code file:line:column: rule (value)} or similar. */
    public List<String> problems() {
        return problems;
    }
}
