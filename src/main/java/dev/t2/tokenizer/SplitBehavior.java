package dev.t2.tokenizer;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What HF's pre-tokenizers do with the delimiters they find (its {@code SplitDelimiterBehavior}). */
enum SplitBehavior {
    REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS;

    static SplitBehavior fromJson(String name) {
        return switch (name) {
            case "Removed" -> REMOVED;
            case "Isolated" -> ISOLATED;
            case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> MERGED_WITH_NEXT;
            case "Contiguous" -> CONTIGUOUS;
            default -> throw new TokenizerException("unknown split behavior '" + name + "'");
        };
    }

    /** Splits {@code text} around the matches of {@code pattern} (or around the rest, when inverted). */
    void split(String text, Pattern pattern, boolean invert, boolean atStart, PreTokenizer.Sink out) {
        Spans spans = new Spans();
        if (!text.isEmpty()) {
            int prev = 0;
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                if (prev != m.start()) spans.add(prev, m.start(), invert);
                spans.add(m.start(), m.end(), !invert);
                prev = m.end();
            }
            if (prev != text.length()) spans.add(prev, text.length(), invert);
        }
        emit(text, spans, atStart, out);
    }

    /** Splits {@code text} around every code point that satisfies {@code isDelimiter}. */
    void split(String text, java.util.function.IntPredicate isDelimiter, boolean atStart, PreTokenizer.Sink out) {
        Spans spans = new Spans();
        int prev = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isDelimiter.test(cp)) {
                if (prev != i) spans.add(prev, i, false);
                spans.add(i, next, true);
                prev = next;
            }
            i = next;
        }
        if (prev != text.length()) spans.add(prev, text.length(), false);
        emit(text, spans, atStart, out);
    }

    /** HF's {@code NormalizedString::split}: merges spans per behavior, drops removed and empty pieces. */
    private void emit(String text, Spans s, boolean atStart, PreTokenizer.Sink out) {
        int n = s.size;
        int[] start = s.start;
        int[] end = s.end;
        boolean[] isMatch = s.isMatch;
        switch (this) {
            case REMOVED -> {
                for (int i = 0; i < n; i++) if (!isMatch[i]) piece(text, start[i], end[i], atStart, out);
            }
            case ISOLATED -> {
                for (int i = 0; i < n; i++) piece(text, start[i], end[i], atStart, out);
            }
            case MERGED_WITH_PREVIOUS -> {
                // A delimiter joins the piece before it.
                int curStart = -1;
                int curEnd = -1;
                boolean previousMatch = false;
                for (int i = 0; i < n; i++) {
                    if (isMatch[i] && !previousMatch && curStart >= 0) {
                        curEnd = end[i];
                    } else {
                        if (curStart >= 0) piece(text, curStart, curEnd, atStart, out);
                        curStart = start[i];
                        curEnd = end[i];
                    }
                    previousMatch = isMatch[i];
                }
                if (curStart >= 0) piece(text, curStart, curEnd, atStart, out);
            }
            case MERGED_WITH_NEXT -> {
                // A delimiter joins the piece after it: walk backwards, as HF does.
                int[] ps = new int[n];
                int[] pe = new int[n];
                int count = 0;
                boolean previousMatch = false;
                for (int i = n - 1; i >= 0; i--) {
                    if (isMatch[i] && !previousMatch && count > 0) {
                        ps[count - 1] = start[i];
                    } else {
                        ps[count] = start[i];
                        pe[count] = end[i];
                        count++;
                    }
                    previousMatch = isMatch[i];
                }
                for (int i = count - 1; i >= 0; i--) piece(text, ps[i], pe[i], atStart, out);
            }
            case CONTIGUOUS -> {
                // Runs of delimiters, and runs of the rest, become single pieces.
                int curStart = -1;
                int curEnd = -1;
                boolean previousMatch = false;
                for (int i = 0; i < n; i++) {
                    if (isMatch[i] == previousMatch && curStart >= 0) {
                        curEnd = end[i];
                    } else {
                        if (curStart >= 0) piece(text, curStart, curEnd, atStart, out);
                        curStart = start[i];
                        curEnd = end[i];
                    }
                    previousMatch = isMatch[i];
                }
                if (curStart >= 0) piece(text, curStart, curEnd, atStart, out);
            }
        }
    }

    private static void piece(String text, int start, int end, boolean atStart, PreTokenizer.Sink out) {
        if (start < end) out.accept(text.substring(start, end), atStart && start == 0);
    }

    /** Consecutive spans covering a text, each a delimiter match or not. */
    private static final class Spans {
        int[] start = new int[16];
        int[] end = new int[16];
        boolean[] isMatch = new boolean[16];
        int size;

        void add(int s, int e, boolean match) {
            if (size == start.length) {
                start = Arrays.copyOf(start, size * 2);
                end = Arrays.copyOf(end, size * 2);
                isMatch = Arrays.copyOf(isMatch, size * 2);
            }
            start[size] = s;
            end[size] = e;
            isMatch[size] = match;
            size++;
        }
    }
}
