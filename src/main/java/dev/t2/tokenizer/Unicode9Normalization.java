package dev.t2.tokenizer;

import java.text.Normalizer;

/**
 * Unicode normalization as HF tokenizers computes it. Its tables are Unicode 9.0 while Java's are newer, so
 * characters that later versions gave normalization behaviour (combining marks, decompositions, composition
 * pairs) are unknown to HF and pass through unchanged; such a character acts as a starter that nothing crosses.
 */
final class Unicode9Normalization {

    /**
     * Characters added after Unicode 9.0 that have a combining class, a decomposition or take part in a
     * composition (Unicode 16.0 data, as in Java 25; derived with ICU's character ages, checked against HF).
     */
    private static final String NEWER_RANGES = "7FD,897-89F,8CA-8D3,9FE,C3C,D3B-D3C,EBA,1715,1ABF-1ACE,1DF6-1DFA,32FF,"
            + "A7F2-A7F4,A82C,AB69,105C9,105D2,105DA,105E4,10781-10785,10787-107B0,107B2-107BA,10D24-10D27,10D69-10D6D,"
            + "10EAB-10EAC,10EFD-10EFF,10F46-10F50,10F82-10F85,11070,1133B,11382-11385,1138B,1138E,11390-11391,113B8,"
            + "113BB,113C2,113C5,113C7-113C9,113CE-113D0,1145E,11839-1183A,11930,11935,11938,1193D-1193E,11943,119E0,"
            + "11A34,11A47,11A99,11D42,11D44-11D45,11D97,11F41-11F42,1611E-16129,1612F,16D63,16D67-16D6A,16FF0-16FF1,"
            + "1CCD6-1CCF9,1E030-1E06D,1E08F,1E130-1E136,1E2AE,1E2EC-1E2EF,1E4EC-1E4EF,1E5EE-1E5EF,1F16C,1FBF0-1FBF9";

    /** Combining marks (Mn, Mc, Me) added after Unicode 9.0, which HF's StripAccents therefore keeps. */
    private static final String NEWER_MARK_RANGES = "7FD,897-89F,8CA-8D3,9FE,AFA-AFF,B55,C04,C3C,CF3,D00,D3B-D3C,D81,EBA,"
            + "ECE,1715,180F,1ABF-1ACE,1CF7,1DF6-1DFA,A82C,A8FF,10D24-10D27,10D69-10D6D,10EAB-10EAC,10EFC-10EFF,"
            + "10F46-10F50,10F82-10F85,11070,11073-11074,110C2,11145-11146,111CE-111CF,11241,1133B,113B8-113C0,113C2,"
            + "113C5,113C7-113CA,113CC-113D0,113D2,113E1-113E2,1145E,1182C-1183A,11930-11935,11937-11938,1193B-1193E,"
            + "11940,11942-11943,119D1-119D7,119DA-119E0,119E4,11A01-11A0A,11A33-11A39,11A3B-11A3E,11A47,11A51-11A5B,"
            + "11A8A-11A99,11D31-11D36,11D3A,11D3C-11D3D,11D3F-11D45,11D47,11D8A-11D8E,11D90-11D91,11D93-11D97,"
            + "11EF3-11EF6,11F00-11F01,11F03,11F34-11F3A,11F3E-11F42,11F5A,13440,13447-13455,1611E-1612F,16F4F,"
            + "16F7F-16F87,16FE4,16FF0-16FF1,1CF00-1CF2D,1CF30-1CF46,1E08F,1E130-1E136,1E2AE,1E2EC-1E2EF,1E4EC-1E4EF,"
            + "1E5EE-1E5EF";

    private static final int[][] NEWER = parse(NEWER_RANGES);
    private static final int[][] NEWER_MARKS = parse(NEWER_MARK_RANGES);

    /** "A-B,C" as {firsts, lasts}. */
    private static int[][] parse(String ranges) {
        String[] parts = ranges.split(",");
        int[][] bounds = new int[2][parts.length];
        for (int i = 0; i < parts.length; i++) {
            String[] ends = parts[i].split("-");
            bounds[0][i] = Integer.parseInt(ends[0], 16);
            bounds[1][i] = Integer.parseInt(ends[ends.length - 1], 16);
        }
        return bounds;
    }

    private Unicode9Normalization() {}

    static String normalize(String text, Normalizer.Form form) {
        int i = firstNewer(text, 0);
        if (i < 0) return Normalizer.normalize(text, form);
        StringBuilder out = new StringBuilder(text.length() + 16);
        int start = 0;
        while (i >= 0) {
            int cp = text.codePointAt(i);
            out.append(Normalizer.normalize(text.substring(start, i), form)).appendCodePoint(cp);
            start = i + Character.charCount(cp);
            i = firstNewer(text, start);
        }
        return out.append(Normalizer.normalize(text.substring(start), form)).toString();
    }

    /** Index of the first character at or after {@code from} that HF's Unicode 9.0 tables do not know, or -1. */
    private static int firstNewer(String text, int from) {
        for (int i = from; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp >= NEWER[0][0] && isNewer(cp)) return i;
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** True for characters whose normalization HF does not know (see {@link #NEWER_RANGES}). */
    static boolean isNewer(int cp) {
        return contains(NEWER, cp);
    }

    /** A combining mark in HF's Unicode 9.0 data (what StripAccents removes). */
    static boolean isMark(int cp) {
        // Three characters changed category since 9.0: U+1CF2/3 were spacing marks, U+111C9 punctuation.
        if (cp == 0x1CF2 || cp == 0x1CF3) return true;
        if (cp == 0x111C9) return false;
        return UnicodeChars.isMark(cp) && !contains(NEWER_MARKS, cp);
    }

    private static boolean contains(int[][] ranges, int cp) {
        int[] first = ranges[0];
        int[] last = ranges[1];
        int lo = 0;
        int hi = first.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < first[mid]) hi = mid - 1;
            else if (cp > last[mid]) lo = mid + 1;
            else return true;
        }
        return false;
    }
}
