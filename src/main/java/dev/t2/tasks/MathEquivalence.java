package dev.t2.tasks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether two final math answers are the same: Hendrycks-style normalisation of the LaTeX (MATH's
 * {@code strip_string}, extended), then exact equality, exact rational equality of numbers
 * ("0.5" = "\frac{1}{2}" = "1/2" = "\dfrac12"), or the same for every element of a tuple or interval.
 */
public final class MathEquivalence {
    private MathEquivalence() {}

    private static final Pattern TEXT_COMMAND = Pattern.compile("\\\\(?:text|textbf|textit|textnormal|mathrm|mathbf|mbox)\\{");
    private static final Pattern DECIMAL = Pattern.compile("-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)");
    private static final Pattern FRACTION = Pattern.compile("(-?)\\\\frac\\{(-?\\d+(?:\\.\\d+)?)\\}\\{(-?\\d+(?:\\.\\d+)?)\\}");
    private static final Pattern SLASH = Pattern.compile("(-?\\d+)/(\\d+)");
    private static final Pattern THOUSANDS = Pattern.compile("-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?");
    private static final Pattern LETTER_IN_PARENS = Pattern.compile("\\(([A-Za-z])\\)");

    public static boolean equivalent(String a, String b) {
        if (a == null || b == null) return false;
        return equivalentNormalized(normalize(a), normalize(b));
    }

    private static boolean equivalentNormalized(String a, String b) {
        if (a.equals(b)) return true;
        BigDecimal[] ra = rational(a), rb = rational(b);
        if (ra != null && rb != null) return ra[0].multiply(rb[1]).compareTo(rb[0].multiply(ra[1])) == 0;
        List<String> ta = elements(a), tb = elements(b);
        if (ta == null || tb == null || ta.size() != tb.size() || ta.size() < 2) return false;
        if (!brackets(a).equals(brackets(b))) return false;
        for (int i = 0; i < ta.size(); i++) if (!equivalentNormalized(ta.get(i), tb.get(i))) return false;
        return true;
    }

    /** The answer in a canonical spelling: no spacing, units, degrees, dollars, \left/\right, with braced fractions. */
    public static String normalize(String answer) {
        String s = answer.strip().replace("\n", "").replace("\\!", "");
        s = s.replace("\\\\", "\\"); // as MATH's strip_string: doubled backslashes are escaping noise
        s = s.replace("tfrac", "frac").replace("dfrac", "frac").replace("\\displaystyle", "");
        s = s.replace("\\left", "").replace("\\right", "");
        s = s.replace("^{\\circ}", "").replace("^\\circ", "").replace("\u00b0", "");
        s = s.replace("\\$", "").replace("$", "");
        s = removeTrailingUnits(s);
        s = unwrapText(s);
        s = s.replace("\\%", "").replace("%", "");
        s = s.replace("\\,", "").replace("\\;", "").replace("\\:", "").replace("\\ ", "").replace("~", "");
        s = s.strip();
        while (s.endsWith(".")) s = s.substring(0, s.length() - 1).strip();
        s = s.replace(" .", " 0.").replace("{.", "{0.");
        if (s.startsWith(".")) s = "0" + s;
        String[] sides = s.split("=", -1);
        if (sides.length == 2 && sides[0].strip().length() <= 2) s = sides[1]; // "x = 5" → "5"
        s = s.replaceAll("\\s+", "");
        s = fixSqrt(s);
        s = fixFracs(s);
        Matcher slash = SLASH.matcher(s);
        if (slash.matches()) s = "\\frac{" + slash.group(1) + "}{" + slash.group(2) + "}";
        if (THOUSANDS.matcher(s).matches()) s = s.replace(",", "");
        Matcher letter = LETTER_IN_PARENS.matcher(s);
        if (letter.matches()) s = letter.group(1); // "(C)" → "C"
        return s;
    }

    /** "10 \text{ inches}" → "10": a text group at the very end, after some content, is a unit. */
    private static String removeTrailingUnits(String s) {
        Matcher m = TEXT_COMMAND.matcher(s);
        int lastStart = -1, lastBrace = -1;
        while (m.find()) {
            lastStart = m.start();
            lastBrace = m.end() - 1;
        }
        if (lastStart <= 0) return s;
        int close = MathAnswer.matchingBrace(s, lastBrace);
        if (close != s.length() - 1 || s.substring(0, lastStart).isBlank()) return s;
        return s.substring(0, lastStart).strip();
    }

    /** "\text{(C)}" → "(C)": text-mode wrappers carry no meaning for comparison. */
    private static String unwrapText(String s) {
        Matcher m = TEXT_COMMAND.matcher(s);
        while (m.find()) {
            int close = MathAnswer.matchingBrace(s, m.end() - 1);
            if (close < 0) break;
            s = s.substring(0, m.start()) + s.substring(m.end(), close) + s.substring(close + 1);
            m = TEXT_COMMAND.matcher(s);
        }
        return s;
    }

    /** "\sqrt2" → "\sqrt{2}". */
    private static String fixSqrt(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("\\sqrt", i) && i + 5 < s.length() && s.charAt(i + 5) != '{' && s.charAt(i + 5) != '[') {
                out.append("\\sqrt{").append(s.charAt(i + 5)).append('}');
                i += 6;
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.toString();
    }

    /** "\frac12" → "\frac{1}{2}", "\frac1{2}" and "\frac{1}2" likewise: single-token arguments get braces. */
    private static String fixFracs(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            if (!s.startsWith("\\frac", i)) {
                out.append(s.charAt(i++));
                continue;
            }
            out.append("\\frac");
            i += 5;
            for (int arg = 0; arg < 2 && i < s.length(); arg++) {
                if (s.charAt(i) == '{') {
                    int close = MathAnswer.matchingBrace(s, i);
                    if (close < 0) break;
                    out.append(s, i, close + 1);
                    i = close + 1;
                } else if (s.charAt(i) == '\\') {
                    break; // a command argument such as \frac\pi2: leave it as written
                } else {
                    out.append('{').append(s.charAt(i)).append('}');
                    i++;
                }
            }
        }
        return out.toString();
    }

    /** {numerator, denominator} of a plain number or numeric fraction; null for anything else. */
    private static BigDecimal[] rational(String s) {
        if (DECIMAL.matcher(s).matches()) return new BigDecimal[] {new BigDecimal(s), BigDecimal.ONE};
        Matcher f = FRACTION.matcher(s);
        if (f.matches()) {
            BigDecimal num = new BigDecimal(f.group(2)), den = new BigDecimal(f.group(3));
            if (den.signum() == 0) return null;
            return new BigDecimal[] {f.group(1).isEmpty() ? num : num.negate(), den};
        }
        return null;
    }

    /** The outermost bracket pair, e.g. "()" or "[)" (intervals), or "" for a bare list. */
    private static String brackets(String s) {
        return isBracketed(s) ? "" + s.charAt(0) + s.charAt(s.length() - 1) : "";
    }

    private static boolean isBracketed(String s) {
        return s.length() >= 2 && "([{".indexOf(s.charAt(0)) >= 0 && ")]}".indexOf(s.charAt(s.length() - 1)) >= 0;
    }

    /** Top-level comma-separated elements of a tuple, interval or bare list; null when there is no comma. */
    private static List<String> elements(String s) {
        String inner = isBracketed(s) ? s.substring(1, s.length() - 1) : s;
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') depth--;
            else if (c == ',' && depth == 0) {
                parts.add(inner.substring(start, i));
                start = i + 1;
            }
        }
        if (parts.isEmpty()) return null;
        parts.add(inner.substring(start));
        return parts;
    }
}
