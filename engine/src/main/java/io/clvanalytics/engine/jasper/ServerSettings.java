package io.clvanalytics.engine.jasper;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import net.sf.jasperreports.engine.JRException;

/**
 * Where the {@code clv} query executer reads rows when a CLV server runs: the server's base URL, an API
 * token and how long to wait. Each item is taken, in this order, from the report parameter
 * ({@value #URL_PARAMETER}, {@value #TOKEN_PARAMETER}), the property ({@value #URL_PROPERTY},
 * {@value #TOKEN_PROPERTY}: dataset, report, then the JasperReports context, which holds
 * {@code jasperreports.properties}) and the environment variable ({@value #URL_PARAMETER},
 * {@value #TOKEN_PARAMETER}). Without a URL there are no settings and the executer uses the store file
 * or JDBC connection.
 *
 * <p>Rules: HTTPS, or HTTP to a loopback address only (a token must not cross a network in clear text);
 * no user, query or fragment in the URL; a URL needs a token.
 *
 * @param url            the server's base URL (a path prefix is allowed, for a reverse proxy)
 * @param token          the API token (never shown in messages)
 * @param requestTimeout how long to wait for the answer to start
 */
record ServerSettings(URI url, String token, Duration requestTimeout) {

    /** Report parameter and environment variable naming the CLV server's URL. */
    static final String URL_PARAMETER = "CLV_SERVER_URL";
    /** Report parameter and environment variable holding the API token. */
    static final String TOKEN_PARAMETER = "CLV_SERVER_TOKEN";
    /** Property (dataset, report or jasperreports.properties) naming the CLV server's URL. */
    static final String URL_PROPERTY = "io.clvanalytics.server.url";
    /** Property holding the API token. */
    static final String TOKEN_PROPERTY = "io.clvanalytics.server.token";
    /** Property: seconds to wait for the server's answer to start (default {@value #DEFAULT_TIMEOUT_SECONDS}). */
    static final String TIMEOUT_PROPERTY = "io.clvanalytics.server.timeout";
    static final long DEFAULT_TIMEOUT_SECONDS = 300;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** The URL without a trailing slash, as messages show it. */
    String server() {
        String s = url.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * The settings from report parameters ({@code parameter}), properties ({@code property}) and the
     * environment ({@code env}), or empty when no URL is configured anywhere.
     *
     * @throws JRException naming the setting and the rule when the URL or timeout is malformed or the token is missing
     */
    static Optional<ServerSettings> resolve(Function<String, Object> parameter, Function<String, String> property,
                                            Map<String, String> env) throws JRException {
        Source url = first(parameter, property, env, URL_PARAMETER, URL_PROPERTY);
        if (url == null) {
            return Optional.empty();
        }
        Source token = first(parameter, property, env, TOKEN_PARAMETER, TOKEN_PROPERTY);
        if (token == null) {
            throw new JRException("the CLV server " + url.value() + " (from " + url.where() + ") needs an API token: set the report"
                    + " parameter " + TOKEN_PARAMETER + ", the property " + TOKEN_PROPERTY + " (e.g. in jasperreports.properties) or"
                    + " the environment variable " + TOKEN_PARAMETER + " to a token an admin created on the server's /admin/tokens page");
        }
        String timeoutText = property.apply(TIMEOUT_PROPERTY);
        long seconds = DEFAULT_TIMEOUT_SECONDS;
        if (timeoutText != null && !timeoutText.isBlank()) {
            try {
                seconds = Long.parseLong(timeoutText.strip());
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds < 1) {
                throw new JRException("property " + TIMEOUT_PROPERTY + " must be a whole number of seconds, at least 1 (got \""
                        + timeoutText + "\")");
            }
        }
        return Optional.of(new ServerSettings(checkUrl(url), token.value().strip(), Duration.ofSeconds(seconds)));
    }

    private record Source(String value, String where) {}

    private static Source first(Function<String, Object> parameter, Function<String, String> property, Map<String, String> env,
                                String parameterName, String propertyName) {
        Object p = parameter.apply(parameterName);
        if (p != null && !p.toString().isBlank()) {
            return new Source(p.toString().strip(), "report parameter " + parameterName);
        }
        String prop = property.apply(propertyName);
        if (prop != null && !prop.isBlank()) {
            return new Source(prop.strip(), "property " + propertyName);
        }
        String e = env.get(parameterName);
        if (e != null && !e.isBlank()) {
            return new Source(e.strip(), "environment variable " + parameterName);
        }
        return null;
    }

    private static URI checkUrl(Source source) throws JRException {
        String text = source.value();
        String rule = " (from " + source.where() + ") must be the server's address, e.g. https://clv.example.com or"
                + " http://127.0.0.1:7070";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new JRException("CLV server URL \"" + text + "\"" + rule);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new JRException("CLV server URL \"" + text + "\"" + rule + ", with no user, query or fragment");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new JRException("CLV server URL " + text + " (from " + source.where() + ") uses plain HTTP to " + uri.getHost()
                    + ", which is not this machine: the API token would cross the network unencrypted. Use https://, or"
                    + " http:// only with localhost, 127.0.0.1 or [::1]");
        }
        return uri;
    }

    /** True for localhost and loopback IP literals; never looks a name up in DNS. */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IPV4.matcher(h).matches() && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // an IP literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
