package io.clvanalytics.engine.retention;

import io.clvanalytics.engine.DataValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules that recommend an action per customer from (segment, risk level, value tier): the
 * first matching rule wins, {@code *} matches anything, and the last rule must match everybody so
 * every customer gets an action.
 *
 * <p>Text form (the {@link #defaults() defaults} ship as {@code default-actions.csv}): one rule per
 * line, {@code segment,risk_level,value_tier,action,priority,reason}; the reason is the rest of
 * the line and may contain commas; lines starting with {@code #} are comments.
 */
public final class ActionRules {

    /** Risk levels a rule may name. */
    public static final Set<String> RISK_LEVELS = Set.of("low", "medium", "high", "critical");
    /** Value tiers a rule may name. */
    public static final Set<String> VALUE_TIERS = Set.of("low", "medium", "high");

    /** One rule; null in segment, riskLevel or valueTier matches anything. */
    public record Rule(String segment, String riskLevel, String valueTier, String action, int priority, String reason) {}

    private final List<Rule> rules;

    private ActionRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The shipped rules (see {@code default-actions.csv}). */
    public static ActionRules defaults() {
        try (InputStream in = ActionRules.class.getResourceAsStream("default-actions.csv")) {
            if (in == null) {
                throw new IllegalStateException("default-actions.csv is missing from the engine jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default-actions.csv", SegmentMap.standard());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads rules; {@code source} names the text in errors. Segments must exist in {@code map}.
     *
     * @throws DataValidationException naming {@code source:line:column} and the rule broken
     */
    public static ActionRules parse(String text, String source, SegmentMap map) {
        List<Rule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> segments = Set.copyOf(map.segments());
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ":" + (i + 1);
            String[] f = line.split(",", 6);
            if (f.length < 6) {
                problems.add(where + ": expected 6 fields segment,risk_level,value_tier,action,priority,reason (" + line + ")");
                continue;
            }
            String segment = any(f[0]);
            String risk = any(f[1]);
            String tier = any(f[2]);
            if (segment != null && !segments.contains(segment)) {
                problems.add(where + ":1: segment must be * or one of " + map.segments() + " (" + segment + ")");
            }
            if (risk != null && !RISK_LEVELS.contains(risk)) {
                problems.add(where + ":2: risk_level must be * or one of low, medium, high, critical (" + risk + ")");
            }
            if (tier != null && !VALUE_TIERS.contains(tier)) {
                problems.add(where + ":3: value_tier must be * or one of low, medium, high (" + tier + ")");
            }
            if (f[3].isBlank()) {
                problems.add(where + ":4: action must not be empty");
            }
            int priority = 0;
            try {
                priority = Integer.parseInt(f[4].strip());
                if (priority < 1 || priority > 9) {
                    problems.add(where + ":5: priority must be 1 (most urgent) to 9 (" + priority + ")");
                }
            } catch (NumberFormatException e) {
                problems.add(where + ":5: priority must be a whole number 1-9 (" + f[4].strip() + ")");
            }
            rules.add(new Rule(segment, risk, tier, f[3].strip(), priority, f[5].strip()));
        }
        if (problems.isEmpty()) {
            if (rules.isEmpty()) {
                problems.add(source + ": no rules");
            } else {
                Rule last = rules.get(rules.size() - 1);
                if (last.segment() != null || last.riskLevel() != null || last.valueTier() != null) {
                    problems.add(source + ": the last rule must be *,*,* so that every customer gets an action");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DataValidationException(source + ": invalid action rules", problems);
        }
        return new ActionRules(rules);
    }

    private static String any(String field) {
        String v = field.strip();
        return v.equals("*") ? null : v;
    }

    /** The rules in match order. */
    public List<Rule> rules() {
        return rules;
    }
}
