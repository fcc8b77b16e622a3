package dev.t2.generate;

/** One finished sequence: its new tokens, their text (cut before a stop string) and why it ended. */
public record Generation(int[] promptTokens, int[] tokens, String text, FinishReason finishReason) {
    public enum FinishReason { STOP_TOKEN, STOP_STRING, LENGTH }
}
