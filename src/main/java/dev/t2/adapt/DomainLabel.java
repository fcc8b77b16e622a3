package dev.t2.adapt;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The domain pass 1 reads from the model's answer to the reference's classification prompt: the first
 * {@code \boxed{…}} decides; code, math or reasoning select an expert, anything else (other, no box, garbage)
 * selects the base model.
 */
public enum DomainLabel {
    CODE, MATH, REASONING, OTHER;

    private static final Pattern BOXED = Pattern.compile("\\\\boxed\\{\\s*([^{}]*?)\\s*}");

    public static DomainLabel parse(String answer) {
        if (answer == null) return OTHER;
        Matcher m = BOXED.matcher(answer);
        if (!m.find()) return OTHER;
        String label = m.group(1).toLowerCase(Locale.ROOT).replaceAll("^\\\\text\\{|}$", "").strip();
        return switch (label) {
            case "code" -> CODE;
            case "math" -> MATH;
            case "reasoning" -> REASONING;
            default -> OTHER;
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
