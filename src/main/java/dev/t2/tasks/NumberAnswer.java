package dev.t2.tasks;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GSM8K-style numeric answers: the last number in a completion against the number after "####".
 *
 * <p>Better than the reference, which drops minus signs and fails on thousands separators: a minus sign
 * (ASCII or U+2212) that starts a number is kept, "1,234" reads as 1234, a "$" before the digits is skipped,
 * and numbers are compared by value ("5.00" equals "5"), not as strings. A minus joined to a preceding word
 * or digit ("5-3") is subtraction, not a sign.
 */
public final class NumberAnswer {
    private NumberAnswer() {}

    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\w.])(?<sign>[-\u2212])?\\$?(?<int>\\d{1,3}(?:,\\d{3})+(?!\\d)|\\d+)(?<frac>\\.\\d+)?");

    /** The last number in the text, or null when it has none. */
    public static BigDecimal last(String text) {
        Matcher m = NUMBER.matcher(text);
        BigDecimal last = null;
        while (m.find()) last = value(m);
        return last;
    }

    /** The first number in the text, or null when it has none. */
    public static BigDecimal first(String text) {
        Matcher m = NUMBER.matcher(text);
        return m.find() ? value(m) : null;
    }

    /** The reference answer of a GSM8K solution: the number after the last "####" (else the last number). */
    public static BigDecimal reference(String solution) {
        int hashes = solution.lastIndexOf("####");
        return hashes >= 0 ? first(solution.substring(hashes + 4)) : last(solution);
    }

    /** Exact decimal equality by value. */
    public static boolean equal(BigDecimal a, BigDecimal b) {
        return a != null && b != null && a.compareTo(b) == 0;
    }

    /** The value's plain string without trailing zeros ("5.00" → "5"). */
    public static String format(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static BigDecimal value(Matcher m) {
        String digits = m.group("int").replace(",", "") + (m.group("frac") == null ? "" : m.group("frac"));
        BigDecimal v = new BigDecimal(digits);
        return m.group("sign") != null ? v.negate() : v;
    }
}
