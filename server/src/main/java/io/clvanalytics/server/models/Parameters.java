package io.clvanalytics.server.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A model run's stored parameters ({@code parameters_json}) as "name = value [lower, upper]" lines. */
public final class Parameters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Parameters() {}

    /** One line per parameter; an empty list when the text is absent or not the engine's JSON. */
    public static List<String> of(String json) {
        List<String> out = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        try {
            JsonNode root = JSON.readTree(json);
            root.fields().forEachRemaining(e -> {
                JsonNode v = e.getValue();
                if (v.isObject() && v.has("value")) {
                    String line = e.getKey() + " = " + num(v.get("value"));
                    JsonNode lo = v.get("lower_95");
                    JsonNode hi = v.get("upper_95");
                    if (lo != null && hi != null && lo.isNumber() && hi.isNumber()) {
                        line += " [" + num(lo) + ", " + num(hi) + "]";
                    }
                    out.add(line);
                } else if (v.isNumber()) {
                    out.add(e.getKey() + " = " + num(v));
                }
            });
        } catch (java.io.IOException e) {
            out.clear();
        }
        return out;
    }

    private static String num(JsonNode n) {
        return n.isNumber() ? String.format(Locale.US, "%.4g", n.asDouble()) : n.asText();
    }
}
