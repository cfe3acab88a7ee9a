package io.clvanalytics.server.web;

/** The versioned paths of the front-end libraries, served locally from their webjars under /webjars. */
public final class Assets {

    public static final String BOOTSTRAP_CSS = "/webjars/bootstrap/5.3.3/css/bootstrap.min.css";
    public static final String BOOTSTRAP_JS = "/webjars/bootstrap/5.3.3/js/bootstrap.bundle.min.js";
    public static final String HTMX_JS = "/webjars/htmx.org/2.0.4/dist/htmx.min.js";
    public static final String CHART_JS = "/webjars/chart.js/4.4.1/dist/chart.umd.js";

    private Assets() {}
}
