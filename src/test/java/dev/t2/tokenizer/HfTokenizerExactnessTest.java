package dev.t2.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Ids and text identical to HF tokenizers (the Rust library itself, via DJL) for every tokenizer.json we have. */
class HfTokenizerExactnessTest {

    static List<Path> files() {
        return TokenizerFiles.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void corpusLinesEncodeAndDecodeLikeHf(Path file) {
        assertSameAsHf(file, TokenizerFiles.corpusLines());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void wholeCorpusEncodesAndDecodesLikeHf(Path file) {
        assertSameAsHf(file, List.of(TokenizerFiles.corpus()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void trickyStringsEncodeAndDecodeLikeHf(Path file) {
        assertSameAsHf(file, TokenizerFiles.trickyStrings());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void randomMixturesEncodeAndDecodeLikeHf(Path file) {
        // Pieces glued at random find the seams: specials next to text, marks after spaces, digits in words.
        String[] pieces = {" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2028", "\u0085", "\u200d", "a", "Z", "the",
                " the", "'s", "'LL", "'", "don't", "1", "123", "4567", "3.14", "٣", ".", ",", "!?", "...", "—", "_", "(", "}",
                "<", ">", "|", "é", "e\u0301", "ß", "Привет", "مرحبا", "नमस्ते", "中文", "カタカナ", "한국어", "😀", "👍🏽",
                "👨‍👩‍👧‍👦", "🇯🇵", "❤️", "𝔘", "<s>", "</s>", "<unk>", "<|im_start|>", "<|im_end|>", "<|endoftext|>",
                "<|begin_of_text|>", "<|eot_id|>", "<0x0A>", "▁", "▁▁", "Ġ", "    ", "\n\n", " \n"};
        Random random = new Random(1234);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 1 + random.nextInt(12); k > 0; k--) sb.append(pieces[random.nextInt(pieces.length)]);
            texts.add(sb.toString());
        }
        assertSameAsHf(file, texts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void randomCodePointsEncodeLikeHf(Path file) {
        Random random = new Random(99);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 1 + random.nextInt(10); k > 0; k--) {
                int cp = switch (random.nextInt(5)) {
                    case 0 -> 0x20 + random.nextInt(0x5F);
                    case 1 -> random.nextInt(0x250);
                    case 2 -> 0x3000 + random.nextInt(0x7000);
                    case 3 -> 0x1F300 + random.nextInt(0x300);
                    default -> " \t\n\u00a0\u3000\u2009".charAt(random.nextInt(6));
                };
                sb.appendCodePoint(cp);
            }
            texts.add(sb.toString());
        }
        assertSameAsHf(file, texts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void arbitraryIdSequencesDecodeLikeHf(Path file) {
        HfTokenizer mine = TokenizerFiles.load(file);
        HfReference hf = HfReference.of(file);
        Random random = new Random(7);
        int n = mine.vocabSize();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int[] ids = new int[1 + random.nextInt(8)];
            for (int k = 0; k < ids.length; k++) {
                // Low ids are bytes and single characters, high ids the added tokens: where decoders differ.
                ids[k] = switch (random.nextInt(3)) {
                    case 0 -> random.nextInt(n);
                    case 1 -> random.nextInt(Math.min(n, 400));
                    default -> n - 1 - random.nextInt(Math.min(n, 40));
                };
            }
            for (boolean skip : new boolean[] {false, true}) {
                String expected = hf.decode(ids, skip);
                String actual = mine.decode(ids, skip);
                if (!expected.equals(actual)) {
                    problems.add("decode(" + Arrays.toString(ids) + ", skip=" + skip + "): HF " + show(expected) + ", ours " + show(actual));
                }
            }
        }
        assertThat(problems).as(TokenizerFiles.name(file)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void decodingOurEncodingGivesTheTextBackWhereHfDoes(Path file) {
        HfTokenizer mine = TokenizerFiles.load(file);
        HfReference hf = HfReference.of(file);
        List<String> texts = new ArrayList<>(TokenizerFiles.corpusLines());
        texts.addAll(TokenizerFiles.trickyStrings());
        texts.add(TokenizerFiles.corpus());
        int roundTrips = 0;
        for (String text : texts) {
            for (boolean special : new boolean[] {false, true}) {
                // HF itself changes some texts (NFC, SentencePiece's extra space after a special token, skipped specials).
                if (!hf.decode(hf.encode(text, special), special).equals(text)) continue;
                roundTrips++;
                assertThat(mine.decode(mine.encode(text, special), special))
                        .as("%s: %s with special tokens %s", TokenizerFiles.name(file), show(text), special).isEqualTo(text);
            }
        }
        assertThat(roundTrips).as("texts HF gives back unchanged").isGreaterThan(texts.size());
    }

    /** Encodes with and without special tokens and decodes with and without skipping them, collecting every difference. */
    static void assertSameAsHf(Path file, List<String> texts) {
        assertSameAsHf(TokenizerFiles.load(file), file, texts);
    }

    static void assertSameAsHf(HfTokenizer mine, Path file, List<String> texts) {
        HfReference hf = HfReference.of(file);
        List<String> problems = new ArrayList<>();
        for (String text : texts) {
            for (boolean addSpecial : new boolean[] {false, true}) {
                int[] expected = hf.encode(text, addSpecial);
                int[] actual = mine.encode(text, addSpecial);
                if (!Arrays.equals(expected, actual)) {
                    problems.add("encode(" + show(text) + ", add=" + addSpecial + ")\n    HF   " + hf.tokens(text, addSpecial)
                            + "\n    ours " + EncodeHelpers.strings(mine, actual));
                    continue;
                }
                for (boolean skip : new boolean[] {false, true}) {
                    String hfText = hf.decode(expected, skip);
                    String ourText = mine.decode(actual, skip);
                    if (!hfText.equals(ourText)) {
                        problems.add("decode(encode(" + show(text) + "), skip=" + skip + "): HF " + show(hfText) + ", ours " + show(ourText));
                    }
                }
            }
        }
        assertThat(problems).as(file + ": differences from HF").isEmpty();
    }

    static String show(String s) {
        String shown = s.length() > 160 ? s.substring(0, 160) + "…(" + s.length() + " chars)" : s;
        return "\"" + shown.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }
}
