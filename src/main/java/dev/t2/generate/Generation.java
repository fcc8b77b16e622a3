package dev.t2.generate;

/**
 * One finished sequence: its new tokens, their text (cut before a stop string), why it ended, and the stop
 * token the model chose (−1 unless it ended on one; it is not part of {@code tokens} nor of the text).
 */
public record Generation(int[] promptTokens, int[] tokens, String text, FinishReason finishReason, int stopToken) {
    /** The new tokens plus the stop token when the model chose one: what the policy actually emitted. */
    public int[] emittedTokens() {
        if (stopToken < 0) return tokens;
        int[] out = java.util.Arrays.copyOf(tokens, tokens.length + 1);
        out[tokens.length] = stopToken;
        return out;
    }

    public enum FinishReason { STOP_TOKEN, STOP_STRING, LENGTH }
}
