package dev.t2.tokenizer;

/** UTF-8 decoding with exactly Rust's rules, so our text matches HF tokenizers' character for character. */
final class Utf8 {

    static final char REPLACEMENT = '\uFFFD';

    private Utf8() {}

    /** Like Rust's {@code String::from_utf8_lossy}: each maximal invalid subpart becomes one U+FFFD. */
    static String decodeLossy(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                out.append((char) b);
                i++;
                continue;
            }
            int valid = validSequenceLength(bytes, i, length);
            if (valid > 0) {
                int cp = decodeAt(bytes, i, valid);
                out.appendCodePoint(cp);
                i += valid;
            } else {
                out.append(REPLACEMENT);
                i += -valid; // skip the invalid subpart
            }
        }
        return out.toString();
    }

    static String decodeLossy(byte[] bytes) {
        return decodeLossy(bytes, bytes.length);
    }

    /** True when all {@code length} bytes form valid UTF-8 (Rust's {@code String::from_utf8} would succeed). */
    static boolean isValid(byte[] bytes, int length) {
        int i = 0;
        while (i < length) {
            if ((bytes[i] & 0xFF) < 0x80) {
                i++;
                continue;
            }
            int valid = validSequenceLength(bytes, i, length);
            if (valid <= 0) return false;
            i += valid;
        }
        return true;
    }

    /**
     * Length of the valid multi-byte sequence starting at {@code i}, or minus the length of the maximal
     * invalid subpart to replace (the same split as Rust's {@code Utf8Chunks}).
     */
    private static int validSequenceLength(byte[] b, int i, int length) {
        int first = b[i] & 0xFF;
        int second = i + 1 < length ? b[i + 1] & 0xFF : -1;
        if (first >= 0xC2 && first <= 0xDF) {
            return isContinuation(second) ? 2 : -1;
        }
        if (first >= 0xE0 && first <= 0xEF) {
            boolean ok = switch (first) {
                case 0xE0 -> second >= 0xA0 && second <= 0xBF;
                case 0xED -> second >= 0x80 && second <= 0x9F;
                default -> isContinuation(second);
            };
            if (!ok) return -1;
            int third = i + 2 < length ? b[i + 2] & 0xFF : -1;
            return isContinuation(third) ? 3 : -2;
        }
        if (first >= 0xF0 && first <= 0xF4) {
            boolean ok = switch (first) {
                case 0xF0 -> second >= 0x90 && second <= 0xBF;
                case 0xF4 -> second >= 0x80 && second <= 0x8F;
                default -> isContinuation(second);
            };
            if (!ok) return -1;
            int third = i + 2 < length ? b[i + 2] & 0xFF : -1;
            if (!isContinuation(third)) return -2;
            int fourth = i + 3 < length ? b[i + 3] & 0xFF : -1;
            return isContinuation(fourth) ? 4 : -3;
        }
        return -1;
    }

    private static boolean isContinuation(int b) {
        return b >= 0x80 && b <= 0xBF;
    }

    private static int decodeAt(byte[] b, int i, int n) {
        return switch (n) {
            case 2 -> ((b[i] & 0x1F) << 6) | (b[i + 1] & 0x3F);
            case 3 -> ((b[i] & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
            default -> ((b[i] & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
        };
    }
}
