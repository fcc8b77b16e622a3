package dev.t2.tasks;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a multiple-choice letter out of a completion, in the reference's order of preference:
 * "answer is (X)", then "Answer: X", then the last standalone choice letter. The last occurrence of each
 * pattern wins (the model's final word). A lowercase letter counts only in parentheses ("(c)"), and a
 * standalone "A" or "I" followed by a lowercase word is a word ("A plant …", "I think"), not an answer.
 * Unlike the reference, which guesses "A" when nothing matches, an unreadable answer is null (wrong).
 */
public final class ChoiceAnswer {
    private ChoiceAnswer() {}

    private static final String LETTER = "(?:\\(\\s*([A-Za-z])\\s*\\)|([A-Z])(?![\\w']))";
    private static final Pattern ANSWER_IS = Pattern.compile(
            "(?i:answer\\s+is)\\s*:?\\s*(?:\\*\\*)?\\s*(?i:option\\s+|choice\\s+)?" + LETTER);
    private static final Pattern ANSWER_COLON = Pattern.compile(
            "(?i:answer)\\s*:\\s*(?:\\*\\*)?\\s*(?i:option\\s+|choice\\s+)?" + LETTER);
    private static final Pattern STANDALONE = Pattern.compile("(?<![\\w'])([A-Z])(?![\\w'])");
    private static final Pattern WORD_FOLLOWS = Pattern.compile("\\s+[a-z]");

    /**
     * The chosen letter (uppercase), or null when none can be read.
     *
     * @param choices how many choices the item has (letters A.. up to it count as standalone answers)
     */
    public static String extract(String completion, int choices) {
        String found = lastLetter(ANSWER_IS, completion);
        if (found == null) found = lastLetter(ANSWER_COLON, completion);
        if (found != null) return found;
        char maxLetter = (char) ('A' + Math.max(1, Math.min(choices, 26)) - 1);
        Matcher m = STANDALONE.matcher(completion);
        String last = null;
        while (m.find()) {
            char c = m.group(1).charAt(0);
            boolean word = (c == 'A' || c == 'I') && WORD_FOLLOWS.matcher(completion).region(m.end(), completion.length()).lookingAt();
            if (c <= maxLetter && !word) last = m.group(1); // "A plant", "I think" are words, not answers
        }
        return last;
    }

    private static String lastLetter(Pattern p, String text) {
        Matcher m = p.matcher(text);
        String last = null;
        while (m.find()) last = (m.group(1) != null ? m.group(1) : m.group(2)).toUpperCase(Locale.ROOT);
        return last;
    }
}
