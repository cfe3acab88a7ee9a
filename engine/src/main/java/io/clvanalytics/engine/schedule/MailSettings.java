package io.clvanalytics.engine.schedule;

import io.clvanalytics.engine.DataValidationException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SMTP settings from the environment. Mail is on when {@code CLV_SMTP_HOST} is set.
 *
 * @param tls             {@code starttls} (required), {@code ssl} (SMTPS) or {@code none}
 * @param attachLimitBytes files over this size are linked, not attached
 * @param linkBase        base URL of the server's archive links (files over the limit); none: the mail names the file
 */
public record MailSettings(String host, int port, String tls, String user, String password, String from,
        long attachLimitBytes, String linkBase) {

    public static final long DEFAULT_ATTACH_LIMIT_BYTES = 10L * 1024 * 1024;

    /** The settings in {@code env} ({@code System.getenv()}), empty when {@code CLV_SMTP_HOST} is not set. */
    public static Optional<MailSettings> fromEnvironment(Map<String, String> env) {
        String host = env.get("CLV_SMTP_HOST");
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        String tls = env.getOrDefault("CLV_SMTP_TLS", "starttls").strip().toLowerCase(Locale.ROOT);
        if (!tls.equals("starttls") && !tls.equals("ssl") && !tls.equals("none")) {
            throw new DataValidationException("CLV_SMTP_TLS: \"" + tls + "\" is not starttls, ssl or none");
        }
        int port = number("CLV_SMTP_PORT", env.get("CLV_SMTP_PORT"), tls.equals("ssl") ? 465 : 587);
        String from = env.get("CLV_SMTP_FROM");
        if (from == null || from.isBlank()) {
            throw new DataValidationException("CLV_SMTP_FROM: missing; mail needs a sender address when CLV_SMTP_HOST is set");
        }
        long limit = number("CLV_MAIL_ATTACH_LIMIT_BYTES", env.get("CLV_MAIL_ATTACH_LIMIT_BYTES"), DEFAULT_ATTACH_LIMIT_BYTES);
        return Optional.of(new MailSettings(host.strip(), port, tls, blankToNull(env.get("CLV_SMTP_USER")),
                blankToNull(env.get("CLV_SMTP_PASSWORD")), from.strip(), limit, blankToNull(env.get("CLV_REPORTS_URL"))));
    }

    private static int number(String name, String text, long fallback) {
        if (text == null || text.isBlank()) {
            return (int) Math.min(Integer.MAX_VALUE, fallback);
        }
        try {
            int v = Integer.parseInt(text.strip());
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new DataValidationException(name + ": \"" + text + "\" is not a positive whole number");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "MailSettings[" + host + ":" + port + ", tls=" + tls + ", user=" + user + ", from=" + from + "]";
    }
}
