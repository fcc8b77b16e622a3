package dev.t2.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code pre_tokenizer} of {@code tokenizer.json}: cuts normalized text into words, which the BPE model
 * then encodes one by one (merges never cross a word boundary).
 */
interface PreTokenizer {

    /** Receives the words; {@code atStart} says the word begins at offset 0 of the original text. */
    interface Sink {
        void accept(String word, boolean atStart);
    }

    void split(String text, boolean atStart, Sink out);

    /** GPT-2's word regex, used by ByteLevel with {@code use_regex}. */
    Pattern GPT2_WORDS = OnigurumaPattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    /** The pre-tokenizer described by {@code node}, or null when the file has none. */
    static PreTokenizer fromJson(JsonNode node) {
        if (HfJson.isAbsent(node)) return null;
        String type = HfJson.type(node, "pre_tokenizer");
        String where = "pre_tokenizer " + type;
        return switch (type) {
            case "Sequence" -> {
                List<PreTokenizer> steps = new ArrayList<>();
                for (JsonNode n : HfJson.array(node, "pretokenizers", where)) {
                    PreTokenizer step = fromJson(n);
                    if (step != null) steps.add(step);
                }
                yield new Sequence(steps);
            }
            case "ByteLevel" -> new ByteLevel(HfJson.bool(node, "add_prefix_space", true), HfJson.bool(node, "use_regex", true));
            case "Split" -> new Split(HfJson.pattern(node, "pattern", where),
                    SplitBehavior.fromJson(HfJson.text(node, "behavior", where)), HfJson.bool(node, "invert", false));
            case "Metaspace" -> new Metaspace(HfJson.character(node, "replacement", where),
                    Metaspace.scheme(node, where), HfJson.bool(node, "split", true));
            case "Digits" -> new Digits(HfJson.bool(node, "individual_digits", false));
            case "Whitespace" -> new Whitespace();
            case "WhitespaceSplit" -> new WhitespaceSplit();
            case "Punctuation" -> new Punctuation(node.has("behavior")
                    ? SplitBehavior.fromJson(HfJson.text(node, "behavior", where)) : SplitBehavior.ISOLATED);
            case "BertPreTokenizer" -> new Sequence(List.of(new WhitespaceSplit(), new Punctuation(SplitBehavior.ISOLATED)));
            default -> throw new TokenizerException("unsupported pre_tokenizer type '" + type + "'");
        };
    }

    record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
        public void split(String text, boolean atStart, Sink out) {
            run(0, text, atStart, out);
        }

        private void run(int step, String text, boolean atStart, Sink out) {
            if (step == steps.size()) {
                out.accept(text, atStart);
            } else {
                steps.get(step).split(text, atStart, (w, s) -> run(step + 1, w, s, out));
            }
        }
    }

    /** Optionally GPT-2's word regex, then every UTF-8 byte written as its byte-level character. */
    record ByteLevel(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {
        public void split(String text, boolean atStart, Sink out) {
            if (addPrefixSpace && !text.startsWith(" ")) text = " " + text;
            if (useRegex) {
                SplitBehavior.ISOLATED.split(text, GPT2_WORDS, false, atStart,
                        (w, s) -> out.accept(ByteLevelAlphabet.encode(w), s));
            } else if (!text.isEmpty()) {
                out.accept(ByteLevelAlphabet.encode(text), atStart);
            }
        }
    }

    record Split(Pattern pattern, SplitBehavior behavior, boolean invert) implements PreTokenizer {
        public void split(String text, boolean atStart, Sink out) {
            behavior.split(text, pattern, invert, atStart, out);
        }
    }

    /** SentencePiece's spaces: ' ' becomes the replacement (▁), optionally prepended, words start at each ▁. */
    record Metaspace(String replacement, Prepend prepend, boolean splitWords) implements PreTokenizer {
        enum Prepend { ALWAYS, FIRST, NEVER }

        /** Reads both the new {@code prepend_scheme} and the old {@code add_prefix_space} forms. */
        static Prepend scheme(JsonNode node, String where) {
            Prepend scheme = Prepend.ALWAYS;
            String declared = HfJson.optionalText(node, "prepend_scheme");
            if (declared != null) {
                scheme = switch (declared) {
                    case "always" -> Prepend.ALWAYS;
                    case "first" -> Prepend.FIRST;
                    case "never" -> Prepend.NEVER;
                    default -> throw new TokenizerException(where + " has unknown prepend_scheme '" + declared + "'");
                };
            }
            if (!HfJson.bool(node, "add_prefix_space", true)) {
                if (declared != null && scheme != Prepend.NEVER) {
                    throw new TokenizerException(where + ": add_prefix_space false contradicts prepend_scheme " + declared);
                }
                scheme = Prepend.NEVER;
            }
            return scheme;
        }

        public void split(String text, boolean atStart, Sink out) {
            String s = text.replace(" ", replacement);
            boolean prefix = switch (prepend) {
                case ALWAYS -> !s.startsWith(replacement);
                case FIRST -> !s.startsWith(replacement) && atStart;
                case NEVER -> false;
            };
            if (prefix) s = replacement + s;
            if (splitWords) {
                int marker = replacement.codePointAt(0);
                SplitBehavior.MERGED_WITH_NEXT.split(s, cp -> cp == marker, atStart, out);
            } else if (!s.isEmpty()) {
                out.accept(s, atStart);
            }
        }
    }

    record Digits(boolean individualDigits) implements PreTokenizer {
        public void split(String text, boolean atStart, Sink out) {
            (individualDigits ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS)
                    .split(text, UnicodeChars::isNumeric, atStart, out);
        }
    }

    /** Words of {@code \w+} and runs of other non-space characters; whitespace is dropped. */
    record Whitespace() implements PreTokenizer {
        private static final Pattern WORDS = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

        public void split(String text, boolean atStart, Sink out) {
            SplitBehavior.REMOVED.split(text, WORDS, true, atStart, out);
        }
    }

    record WhitespaceSplit() implements PreTokenizer {
        public void split(String text, boolean atStart, Sink out) {
            SplitBehavior.REMOVED.split(text, UnicodeChars::isWhiteSpace, atStart, out);
        }
    }

    record Punctuation(SplitBehavior behavior) implements PreTokenizer {
        public void split(String text, boolean atStart, Sink out) {
            behavior.split(text, UnicodeChars::isPunctuation, atStart, out);
        }
    }
}
