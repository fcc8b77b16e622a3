package dev.t2.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.testing.SharedFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Streaming output, concatenated, is exactly decode(all ids), and never shows half a character. */
class StreamingDecoderTest {

    static List<Path> files() {
        return TokenizerFiles.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void streamedCorpusEqualsDecodeAndHasNoBrokenCharacters(Path file) {
        HfTokenizer tokenizer = TokenizerFiles.load(file);
        List<String> texts = new ArrayList<>(TokenizerFiles.corpusLines());
        texts.add(TokenizerFiles.corpus());
        texts.addAll(TokenizerFiles.trickyStrings());
        for (String text : texts) {
            for (boolean skip : new boolean[] {false, true}) {
                int[] ids = tokenizer.encode(text, true);
                List<String> chunks = stream(tokenizer, ids, skip);
                String expected = tokenizer.decode(ids, skip);
                assertThat(String.join("", chunks)).as("%s: %s", TokenizerFiles.name(file), text).isEqualTo(expected);
                if (expected.indexOf(Utf8.REPLACEMENT) < 0) {
                    assertThat(chunks).as("chunks of %s", text).noneMatch(c -> c.indexOf(Utf8.REPLACEMENT) >= 0);
                }
                assertThat(chunks).allSatisfy(c -> assertThat(isWholeUtf16(c)).as("chunk %s", c).isTrue());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void streamingArbitraryIdsStillConcatenatesToDecode(Path file) {
        HfTokenizer tokenizer = TokenizerFiles.load(file);
        Random random = new Random(5);
        int n = tokenizer.vocabSize();
        for (int i = 0; i < 1000; i++) {
            int[] ids = new int[1 + random.nextInt(12)];
            for (int k = 0; k < ids.length; k++) {
                ids[k] = switch (random.nextInt(3)) {
                    case 0 -> random.nextInt(n);
                    case 1 -> random.nextInt(Math.min(n, 400)); // bytes, byte fallbacks and single characters
                    default -> n - 1 - random.nextInt(Math.min(n, 40)); // added and special tokens
                };
            }
            for (boolean skip : new boolean[] {false, true}) {
                assertThat(String.join("", stream(tokenizer, ids, skip)))
                        .as("%s: %s skip=%s", TokenizerFiles.name(file), Arrays.toString(ids), skip)
                        .isEqualTo(tokenizer.decode(ids, skip));
            }
        }
    }

    @Test
    void byteLevelCharacterSplitAcrossTokensWaitsForItsLastByte() {
        HfTokenizer gpt2 = TokenizerFiles.load(SharedFiles.hf("gpt2").resolve("tokenizer.json"));
        int[] ids = gpt2.encode("a😀b", false);
        assertThat(ids.length).as("the emoji needs more than one GPT-2 token").isGreaterThan(3);
        StreamingDecoder decoder = gpt2.streamingDecoder(false);
        List<String> chunks = new ArrayList<>();
        for (int id : ids) chunks.add(decoder.next(id));
        chunks.add(decoder.finish());
        assertThat(chunks).contains("😀").doesNotContain("\uFFFD");
        assertThat(String.join("", chunks)).isEqualTo("a😀b");
    }

    @Test
    void byteFallbackCharacterIsReleasedWhole() {
        HfTokenizer llama = TokenizerFiles.load(SharedFiles.hf("llama-tokenizer_hf-internal-testing").resolve("tokenizer.json"));
        int[] ids = llama.encode("Hi 😀!", true);
        assertThat(EncodeHelpers.strings(llama, ids)).contains("<0xF0>", "<0x9F>", "<0x98>", "<0x80>");
        StreamingDecoder decoder = llama.streamingDecoder(true);
        StringBuilder seen = new StringBuilder();
        for (int id : ids) {
            String chunk = decoder.next(id);
            assertThat(chunk).doesNotContain("\uFFFD");
            seen.append(chunk);
        }
        seen.append(decoder.finish());
        assertThat(seen.toString()).isEqualTo("Hi 😀!");
    }

    @Test
    void sentencePieceLeadingSpaceIsStrippedOnlyAtTheStart() {
        HfTokenizer llama = TokenizerFiles.load(SharedFiles.hf("llama-tokenizer_hf-internal-testing").resolve("tokenizer.json"));
        StreamingDecoder decoder = llama.streamingDecoder(true);
        List<String> chunks = new ArrayList<>();
        for (int id : llama.encode("Hello world, again", true)) chunks.add(decoder.next(id));
        chunks.add(decoder.finish());
        assertThat(chunks).containsSubsequence("Hello", " world").contains(" again");
        assertThat(String.join("", chunks)).isEqualTo("Hello world, again");
    }

    @Test
    void anIncompleteCharacterAtTheEndComesOutOfFinishAsDecodeHasIt() {
        HfTokenizer llama = TokenizerFiles.load(SharedFiles.hf("llama-tokenizer_hf-internal-testing").resolve("tokenizer.json"));
        int[] ids = {llama.tokenId("▁A"), llama.tokenId("<0xE4>"), llama.tokenId("<0xB8>")};
        StreamingDecoder decoder = llama.streamingDecoder(false);
        assertThat(decoder.next(ids[0])).isEqualTo("A");
        assertThat(decoder.next(ids[1])).isEmpty();
        assertThat(decoder.next(ids[2])).isEmpty();
        assertThat(decoder.finish()).isEqualTo(llama.decode(ids, false).substring(1)).isEqualTo("\uFFFD\uFFFD");
    }

    static List<String> stream(Tokenizer tokenizer, int[] ids, boolean skip) {
        StreamingDecoder decoder = tokenizer.streamingDecoder(skip);
        List<String> chunks = new ArrayList<>();
        for (int id : ids) chunks.add(decoder.next(id));
        chunks.add(decoder.finish());
        return chunks;
    }

    private static boolean isWholeUtf16(String s) {
        return s.isEmpty() || (!Character.isLowSurrogate(s.charAt(0)) && !Character.isHighSurrogate(s.charAt(s.length() - 1)));
    }
}
