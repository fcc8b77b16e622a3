package dev.t2.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads final answers out of math completions: "The answer is: X", else the last {@code \boxed{…}}. */
public final class MathAnswer {
    private MathAnswer() {}

    private static final String ANSWER_IS = "the answer is:";

    /** The final answer as the reference reads it, or null when the completion states none. */
    public static String extract(String completion) {
        String stated = afterAnswerIs(completion);
        if (stated != null) {
            String boxed = lastBoxed(stated);
            return boxed != null ? boxed : stated;
        }
        return lastBoxed(completion);
    }

    /** The rest of the line after the last "The answer is:" (any case), trimmed of "$" and a final period. */
    static String afterAnswerIs(String text) {
        int at = text.toLowerCase(Locale.ROOT).lastIndexOf(ANSWER_IS);
        if (at < 0) return null;
        String rest = text.substring(at + ANSWER_IS.length());
        int eol = rest.indexOf('\n');
        if (eol >= 0) rest = rest.substring(0, eol);
        rest = rest.strip();
        while (rest.endsWith(".")) rest = rest.substring(0, rest.length() - 1).strip();
        if (rest.startsWith("$") && rest.endsWith("$") && rest.length() >= 2) rest = rest.replaceAll("^\\$+|\\$+$", "").strip();
        return rest.isEmpty() ? null : rest;
    }

    /** The content of the last {@code \boxed{…}} (or {@code \fbox{…}}, or {@code \boxed x}), braces balanced; null if none. */
    public static String lastBoxed(String text) {
        List<String> all = boxed(text);
        return all.isEmpty() ? null : all.getLast();
    }

    /** The content of the first {@code \boxed{…}}; null if none. */
    public static String firstBoxed(String text) {
        List<String> all = boxed(text);
        return all.isEmpty() ? null : all.getFirst();
    }

    /** Every complete boxed answer in order; an unclosed brace ends the search (a truncated completion). */
    public static List<String> boxed(String text) {
        List<String> found = new ArrayList<>();
        int from = 0;
        while (true) {
            int boxedAt = text.indexOf("\\boxed", from);
            int fboxAt = text.indexOf("\\fbox", from);
            int at = boxedAt < 0 ? fboxAt : fboxAt < 0 ? boxedAt : Math.min(boxedAt, fboxAt);
            if (at < 0) return found;
            int i = at + (at == boxedAt ? "\\boxed".length() : "\\fbox".length());
            if (i < text.length() && text.charAt(i) == '{') {
                int close = matchingBrace(text, i);
                if (close < 0) return found;
                found.add(text.substring(i + 1, close).strip());
                from = close + 1;
            } else if (i < text.length() && text.charAt(i) == ' ') {
                // "\boxed 5": the argument runs to the next "$" or whitespace
                int end = i + 1;
                while (end < text.length() && text.charAt(end) != '$' && !Character.isWhitespace(text.charAt(end))) end++;
                if (end > i + 1) found.add(text.substring(i + 1, end));
                from = end;
            } else {
                from = i;
            }
        }
    }

    /** Index of the brace closing the one at {@code open}, skipping escaped braces; -1 when unbalanced. */
    static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '{' || s.charAt(i + 1) == '}')) {
                i++; // \{ and \} are literal braces (set notation), not grouping
                continue;
            }
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }
}
