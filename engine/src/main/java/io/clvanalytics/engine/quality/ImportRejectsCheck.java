package io.clvanalytics.engine.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rows the importer rejected (for example UCI Online Retail's lines without a customer id), as a
 * percentage of the rows read, over every import batch. The reasons and their counts come from
 * each batch's {@code details_json} (an object field whose name contains "reason", mapping a
 * reason to a count), summed over batches.
 */
final class ImportRejectsCheck implements QualityCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override public String name() { return "source.import_rejects"; }
    @Override public Category category() { return Category.SOURCE; }
    @Override public Severity severity() { return Severity.MEDIUM; }
    @Override public String description() { return "rows rejected at import (missing customer id, bad values...) by reason"; }
    @Override public String unit() { return "%"; }
    @Override public Thresholds defaultThresholds() { return Thresholds.of(0, 50); }

    @Override
    public Measurement measure(CheckContext ctx) throws SQLException {
        List<Map<String, Object>> batches = ctx.query("SELECT id AS batch_id, kind, source, rows_read, rows_imported,"
                + " rows_rejected, details_json FROM import_batches WHERE coalesce(rows_rejected, 0) > 0 OR rows_read > 0"
                + " ORDER BY id");
        long read = 0;
        long rejected = 0;
        Map<String, Long> byReason = new TreeMap<>();
        List<Map<String, Object>> sample = new ArrayList<>();
        for (Map<String, Object> b : batches) {
            read += CheckContext.asLong(b.get("rows_read"));
            long r = CheckContext.asLong(b.get("rows_rejected"));
            rejected += r;
            Map<String, Long> reasons = reasons((String) b.get("details_json"));
            reasons.forEach((k, v) -> byReason.merge(k, v, Long::sum));
            if (r > 0 && sample.size() < ctx.sampleSize()) {
                Map<String, Object> s = new LinkedHashMap<>(b);
                s.remove("details_json");
                s.put("rejected_by_reason", reasons);
                sample.add(s);
            }
        }
        double metric = read == 0 ? 0.0 : 100.0 * rejected / read;
        String message = rejected + " of " + read + " rows read were rejected at import"
                + (byReason.isEmpty() ? "" : " " + byReason);
        return new Measurement(metric, rejected, sample, message);
    }

    /** Reason → count from a batch's details, empty when it records none. */
    static Map<String, Long> reasons(String detailsJson) {
        Map<String, Long> out = new TreeMap<>();
        if (detailsJson == null || detailsJson.isBlank()) {
            return out;
        }
        try {
            JsonNode root = JSON.readTree(detailsJson);
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().toLowerCase(java.util.Locale.ROOT).contains("reason") && f.getValue().isObject()) {
                    f.getValue().fields().forEachRemaining(e -> {
                        if (e.getValue().canConvertToLong()) {
                            out.merge(e.getKey(), e.getValue().asLong(), Long::sum);
                        }
                    });
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            out.put("(unreadable details_json)", 0L);
        }
        return out;
    }
}
