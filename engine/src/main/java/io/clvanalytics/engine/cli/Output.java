package io.clvanalytics.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Prints command results as aligned text tables or as JSON. */
public final class Output {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {}

    /** Writes {@code value} (records, maps, lists) as indented JSON. */
    public static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    /** The shared mapper, for commands that build JSON trees. */
    public static ObjectMapper mapper() {
        return JSON;
    }

    /** Writes rows under a header, each column padded to its widest cell. */
    public static void table(PrintWriter out, List<String> header, List<List<?>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> cells = new ArrayList<>();
        cells.add(header);
        for (List<?> row : rows) {
            List<String> r = new ArrayList<>();
            for (Object o : row) {
                r.add(format(o));
            }
            cells.add(r);
        }
        for (List<String> r : cells) {
            for (int i = 0; i < width.length && i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : cells) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                if (i > 0) {
                    sb.append("  ");
                }
                sb.append(String.format("%-" + Math.max(1, width[i]) + "s", r.get(i)));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }

    private static String format(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Double d) {
            return Double.isNaN(d) ? "NaN" : String.format("%.4f", d);
        }
        return o.toString();
    }
}
