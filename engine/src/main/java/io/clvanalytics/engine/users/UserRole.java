package io.clvanalytics.engine.users;

import io.clvanalytics.engine.DataValidationException;
import java.util.Arrays;
import java.util.Locale;

/** What a user may do; the server maps each to its route roles. Stored in lower case. */
public enum UserRole {
    /** Dashboards, report views and downloads. */
    MANAGER,
    /** All analytics and reports, re-fit and re-score. */
    ANALYST,
    /** Users, imports, schedules, everything. */
    ADMIN;

    /** The stored and typed name: {@code manager}, {@code analyst}, {@code admin}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a typed role name; the error names the field and the allowed values. */
    public static UserRole parse(String field, String value) {
        for (UserRole r : values()) {
            if (r.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return r;
            }
        }
        throw new DataValidationException(field + ": '" + value + "' is not a role; allowed: "
                + Arrays.stream(values()).map(UserRole::id).toList());
    }
}
