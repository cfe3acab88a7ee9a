/**
 * Reports: the {@code clv} JasperReports query language (a plugin for JasperReports Server and
 * Jaspersoft Studio, registered through {@code jasperreports_extension.properties}) and the
 * rendering service that fills the built-in templates and exports them to HTML, PDF, XLSX and CSV.
 *
 * <p>Classes here depend only on JasperReports, JDBC and the JDK, so the engine jar works as a
 * plugin next to nothing but JasperReports and the DuckDB driver.
 */
package io.clvanalytics.engine.jasper;
