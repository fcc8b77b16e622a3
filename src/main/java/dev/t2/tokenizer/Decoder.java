package dev.t2.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code decoder} of {@code tokenizer.json}: turns the list of token strings back into text. Like HF, each
 * decoder maps a list of strings to a list of strings ({@code decode_chain}); the final text is their concatenation.
 */
interface Decoder {

    List<String> decodeChain(List<String> tokens);

    /**
     * The raw bytes of one token as this decoder reads it, or null if this step keeps it as text; for
     * {@code tokenBytes}, which skips the position-dependent clean-ups (Strip, Metaspace's first-token rule).
     */
    default byte[] rawBytes(String token) {
        return null;
    }

    /** One token after this step's per-token text rewriting (used with {@link #rawBytes}). */
    default String rawText(String token) {
        return token;
    }

    /** True when ids that stand for single bytes join with the next ones (ByteFallback), so text is not final yet. */
    default boolean joinsByteTokens() {
        return false;
    }

    default String decode(List<String> tokens) {
        return String.join("", decodeChain(tokens));
    }

    /** The decoder described by {@code node}, or null when the file has none. */
    static Decoder fromJson(JsonNode node) {
        if (HfJson.isAbsent(node)) return null;
        String type = HfJson.type(node, "decoder");
        String where = "decoder " + type;
        return switch (type) {
            case "Sequence" -> {
                List<Decoder> steps = new ArrayList<>();
                for (JsonNode n : HfJson.array(node, "decoders", where)) {
                    Decoder step = fromJson(n);
                    if (step != null) steps.add(step);
                }
                yield new Sequence(steps);
            }
            case "ByteLevel" -> new ByteLevel();
            case "Replace" -> new Replace(HfJson.pattern(node, "pattern", where), HfJson.text(node, "content", where));
            case "ByteFallback" -> new ByteFallback();
            case "Fuse" -> new Fuse();
            case "Strip" -> new Strip(HfJson.character(node, "content", where).codePointAt(0),
                    HfJson.integer(node, "start", 0), HfJson.integer(node, "stop", 0));
            case "Metaspace" -> new Metaspace(HfJson.character(node, "replacement", where),
                    PreTokenizer.Metaspace.scheme(node, where) != PreTokenizer.Metaspace.Prepend.NEVER);
            case "BPEDecoder" -> new BpeSuffix(node.has("suffix") ? HfJson.text(node, "suffix", where) : "</w>");
            case "WordPiece" -> new WordPiece(node.has("prefix") ? HfJson.text(node, "prefix", where) : "##",
                    HfJson.bool(node, "cleanup", true));
            default -> throw new TokenizerException("unsupported decoder type '" + type + "'");
        };
    }

    record Sequence(List<Decoder> steps) implements Decoder {
        public List<String> decodeChain(List<String> tokens) {
            for (Decoder d : steps) tokens = d.decodeChain(tokens);
            return tokens;
        }

        @Override
        public byte[] rawBytes(String token) {
            for (Decoder d : steps) {
                byte[] bytes = d.rawBytes(token);
                if (bytes != null) return bytes;
                token = d.rawText(token);
            }
            return token.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean joinsByteTokens() {
            return steps.stream().anyMatch(Decoder::joinsByteTokens);
        }
    }

    /** Byte-level characters back to bytes, all tokens together, decoded leniently (invalid bytes become U+FFFD). */
    record ByteLevel() implements Decoder {
        public List<String> decodeChain(List<String> tokens) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (String t : tokens) ByteLevelAlphabet.decodeTo(t, bytes);
            return List.of(Utf8.decodeLossy(bytes.toByteArray()));
        }

        @Override
        public byte[] rawBytes(String token) {
            return ByteLevelAlphabet.decode(token);
        }
    }

    record Replace(Pattern pattern, String content) implements Decoder {
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) out.add(rawText(t));
            return out;
        }

        @Override
        public String rawText(String token) {
            return pattern.matcher(token).replaceAll(Matcher.quoteReplacement(content));
        }
    }

    /** SentencePiece's byte tokens "<0xE4>": runs of them become the UTF-8 text they spell, or one U+FFFD per byte. */
    record ByteFallback() implements Decoder {
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            byte[] pending = new byte[16];
            int count = 0;
            for (String t : tokens) {
                int b = byteValue(t);
                if (b >= 0) {
                    if (count == pending.length) pending = java.util.Arrays.copyOf(pending, count * 2);
                    pending[count++] = (byte) b;
                    continue;
                }
                flush(pending, count, out);
                count = 0;
                out.add(t);
            }
            flush(pending, count, out);
            return out;
        }

        private static void flush(byte[] pending, int count, List<String> out) {
            if (count == 0) return;
            if (Utf8.isValid(pending, count)) {
                out.add(new String(pending, 0, count, StandardCharsets.UTF_8));
            } else {
                for (int i = 0; i < count; i++) out.add(String.valueOf(Utf8.REPLACEMENT));
            }
        }

        /** The byte of a "<0xHH>" token, or -1 (parsed as HF does, with Rust's {@code u8::from_str_radix}). */
        static int byteValue(String token) {
            if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') return -1;
            char a = token.charAt(3);
            char b = token.charAt(4);
            int hb = Character.digit(b, 16);
            if (b >= 0x80 || hb < 0) return -1;
            if (a == '+') return hb;
            int ha = Character.digit(a, 16);
            return a < 0x80 && ha >= 0 ? ha * 16 + hb : -1;
        }

        @Override
        public byte[] rawBytes(String token) {
            int b = byteValue(token);
            return b < 0 ? null : new byte[] {(byte) b};
        }

        @Override
        public boolean joinsByteTokens() {
            return true;
        }
    }

    record Fuse() implements Decoder {
        public List<String> decodeChain(List<String> tokens) {
            return List.of(String.join("", tokens));
        }
    }

    /** Removes up to {@code start} leading and {@code stop} trailing {@code content} characters of each token. */
    record Strip(int content, int start, int stop) implements Decoder {
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                int[] cps = t.codePoints().toArray();
                int from = 0;
                while (from < start && from < cps.length && cps[from] == content) from++;
                int to = cps.length;
                for (int i = 0; i < stop && to > from && cps[to - 1] == content; i++) to--;
                out.add(new String(cps, from, to - from));
            }
            return out;
        }
    }

    /** The replacement character becomes a space, except in the first token when a prefix was prepended. */
    record Metaspace(String replacement, boolean prefixWasAdded) implements Decoder {
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                out.add(tokens.get(i).replace(replacement, i == 0 && prefixWasAdded ? "" : " "));
            }
            return out;
        }

        @Override
        public String rawText(String token) {
            return token.replace(replacement, " ");
        }
    }

    /** Classic BPE's end-of-word suffix becomes a space (nothing after the last token). */
    record BpeSuffix(String suffix) implements Decoder {
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                out.add(tokens.get(i).replace(suffix, i == tokens.size() - 1 ? "" : " "));
            }
            return out;
        }

        @Override
        public String rawText(String token) {
            return token.replace(suffix, " ");
        }
    }

    /** WordPiece's "##" continuation prefix; other tokens get a leading space. */
    record WordPiece(String prefix, boolean cleanup) implements Decoder {
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if (i != 0) t = t.startsWith(prefix) ? t.substring(prefix.length()) : " " + t;
                if (cleanup) t = cleanup(t);
                out.add(t);
            }
            return out;
        }

        private static String cleanup(String s) {
            return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                    .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't")
                    .replace(" 's", "'s").replace(" 've", "'ve").replace(" 're", "'re");
        }
    }
}
