package dev.t2.generate;

import dev.t2.tokenizer.StreamingDecoder;
import dev.t2.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of one growing token sequence: detects stop strings and releases only text that is final —
 * never half a UTF-8 character (the streaming decoder holds those back), never a prefix of a possible stop
 * string. Decoding is incremental, so a long generation costs O(length), not O(length²).
 */
final class TextStream {
    private final StreamingDecoder decoder;
    private final List<String> stopStrings;
    private final List<Integer> tokens = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private int released;
    private boolean stopped;

    TextStream(Tokenizer tokenizer, List<String> stopStrings) {
        this.decoder = tokenizer.streamingDecoder(true);
        this.stopStrings = stopStrings;
    }

    /** Adds a token; returns true when the text now contains a stop string (the text is cut before it). */
    boolean add(int token) {
        tokens.add(token);
        text.append(decoder.next(token));
        for (String stop : stopStrings) {
            int at = text.indexOf(stop, Math.max(0, released - stop.length()));
            if (at >= 0) {
                text.setLength(at);
                stopped = true;
                return true;
            }
        }
        return false;
    }

    /** Text that became final since the last call (everything left, once {@code finished}). */
    String release(boolean finished) {
        if (finished && !stopped) text.append(decoder.finish());
        int end = finished || stopped ? text.length() : safeEnd();
        if (end <= released) return "";
        String out = text.substring(released, end);
        released = end;
        return out;
    }

    private int safeEnd() {
        int end = text.length();
        for (String stop : stopStrings) {
            for (int k = Math.min(stop.length() - 1, end - released); k > 0; k--) {
                if (text.substring(end - k, end).equals(stop.substring(0, k))) {
                    end -= k;
                    break;
                }
            }
        }
        if (end > released && Character.isHighSurrogate(text.charAt(end - 1))) end--;
        return end;
    }

    String text() {
        return text.toString();
    }

    int size() {
        return tokens.size();
    }

    int[] tokens() {
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }
}
