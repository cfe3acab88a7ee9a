package io.clvanalytics.server.dashboard;

/**
 * One figure on the dashboard with the period it is compared with.
 *
 * @param id       the element id (tests and styles)
 * @param label    what the figure is
 * @param value    the figure, formatted
 * @param change   the change against the previous period, formatted ({@code +4.2 %}), or the dash
 * @param trend    {@code up}, {@code down} or {@code flat}
 * @param help     what the figure means and which periods are compared (the tooltip)
 */
public record Kpi(String id, String label, String value, String change, String trend, String help) {}
