package io.clvanalytics.engine.jasper;

/** What a rendering produced: the template, the format and the number of pages filled. */
public record RenderedReport(ReportTemplate template, ReportFormat format, int pages) {}
