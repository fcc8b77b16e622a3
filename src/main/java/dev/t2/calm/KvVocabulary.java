package dev.t2.calm;

/**
 * The key-value miniature's character vocabulary: BOS, digits, + − ×, the task markers S (substitute) and
 * A (arithmetic), and the letters keys are spelled with. One token per character; 43 of 48 ids used.
 */
public final class KvVocabulary {
    public static final int BOS = 0, PLUS = 12, MINUS = 13, TIMES = 14, SUBSTITUTE = 15, ARITHMETIC = 16, SIZE = 48;
    private static final int FIRST_DIGIT = 2, FIRST_LETTER = 17;

    private KvVocabulary() {}

    public static int digit(int d) {
        if (d < 0 || d > 9) throw new IllegalArgumentException("not a digit: " + d);
        return FIRST_DIGIT + d;
    }

    /** The digit a token spells, or −1 when it is not a digit. */
    public static int digitOf(int token) {
        return token >= FIRST_DIGIT && token < FIRST_DIGIT + 10 ? token - FIRST_DIGIT : -1;
    }

    public static int letter(char c) {
        if (c < 'a' || c > 'z') throw new IllegalArgumentException("not a lowercase letter: " + c);
        return FIRST_LETTER + (c - 'a');
    }

    public static String text(int[] tokens) {
        StringBuilder s = new StringBuilder();
        for (int t : tokens) s.append(character(t));
        return s.toString();
    }

    private static String character(int t) {
        if (t == BOS) return "^";
        if (digitOf(t) >= 0) return Integer.toString(digitOf(t));
        if (t >= FIRST_LETTER && t < FIRST_LETTER + 26) return String.valueOf((char) ('a' + t - FIRST_LETTER));
        return switch (t) {
            case PLUS -> "+";
            case MINUS -> "-";
            case TIMES -> "*";
            case SUBSTITUTE -> "S";
            case ARITHMETIC -> "A";
            default -> "?";
        };
    }
}
