package dev.t2.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code normalizer} of {@code tokenizer.json}: rewrites each piece of text before pre-tokenization. */
interface Normalizer {

    String normalize(String text);

    /** The normalizer described by {@code node}, or null when the file has none. */
    static Normalizer fromJson(JsonNode node) {
        if (HfJson.isAbsent(node)) return null;
        String type = HfJson.type(node, "normalizer");
        String where = "normalizer " + type;
        return switch (type) {
            case "Sequence" -> {
                List<Normalizer> steps = new ArrayList<>();
                for (JsonNode n : HfJson.array(node, "normalizers", where)) {
                    Normalizer step = fromJson(n);
                    if (step != null) steps.add(step);
                }
                yield new Sequence(steps);
            }
            case "NFC" -> new UnicodeForm(java.text.Normalizer.Form.NFC);
            case "NFD" -> new UnicodeForm(java.text.Normalizer.Form.NFD);
            case "NFKC" -> new UnicodeForm(java.text.Normalizer.Form.NFKC);
            case "NFKD" -> new UnicodeForm(java.text.Normalizer.Form.NFKD);
            case "Lowercase" -> new Lowercase();
            case "Prepend" -> new Prepend(HfJson.text(node, "prepend", where));
            case "Append" -> new Append(HfJson.text(node, "append", where));
            case "Replace" -> new Replace(HfJson.pattern(node, "pattern", where), HfJson.text(node, "content", where));
            case "Strip" -> new Strip(HfJson.bool(node, "strip_left", true), HfJson.bool(node, "strip_right", true));
            case "StripAccents" -> new StripAccents();
            default -> throw new TokenizerException("unsupported normalizer type '" + type + "'");
        };
    }

    record Sequence(List<Normalizer> steps) implements Normalizer {
        public String normalize(String text) {
            for (Normalizer n : steps) text = n.normalize(text);
            return text;
        }
    }

    /** NFC, NFD, NFKC or NFKD with HF's (Unicode 9.0) character data. */
    record UnicodeForm(java.text.Normalizer.Form form) implements Normalizer {
        public String normalize(String text) {
            return Unicode9Normalization.normalize(text, form);
        }
    }

    record Lowercase() implements Normalizer {
        public String normalize(String text) {
            return text.toLowerCase(Locale.ROOT);
        }
    }

    /** Adds a prefix to non-empty text (SentencePiece's leading "▁"). */
    record Prepend(String prefix) implements Normalizer {
        public String normalize(String text) {
            return text.isEmpty() ? text : prefix + text;
        }
    }

    record Append(String suffix) implements Normalizer {
        public String normalize(String text) {
            return text.isEmpty() ? text : text + suffix;
        }
    }

    record Replace(Pattern pattern, String content) implements Normalizer {
        public String normalize(String text) {
            return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(content));
        }
    }

    /** Trims Unicode whitespace at either end. */
    record Strip(boolean left, boolean right) implements Normalizer {
        public String normalize(String text) {
            int start = 0;
            int end = text.length();
            while (left && start < end && UnicodeChars.isWhiteSpace(text.codePointAt(start))) {
                start += Character.charCount(text.codePointAt(start));
            }
            while (right && end > start && UnicodeChars.isWhiteSpace(text.codePointBefore(end))) {
                end -= Character.charCount(text.codePointBefore(end));
            }
            return text.substring(start, end);
        }
    }

    /** Removes combining marks (meant to follow NFD), those HF's Unicode 9.0 data knows. */
    record StripAccents() implements Normalizer {
        public String normalize(String text) {
            StringBuilder out = new StringBuilder(text.length());
            text.codePoints().filter(cp -> !Unicode9Normalization.isMark(cp)).forEach(out::appendCodePoint);
            return out.toString();
        }
    }
}
