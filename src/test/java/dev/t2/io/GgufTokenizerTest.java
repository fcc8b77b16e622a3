package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.testing.SharedFiles;
import dev.t2.tokenizer.HfTokenizer;
import dev.t2.tokenizer.Llama2cTokenizer;
import dev.t2.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A GGUF written from a real tokenizer the way llama.cpp's converter writes it tokenizes like the original: the same
 * ids for every corpus line and the whole corpus, the same text back.
 */
class GgufTokenizerTest {

    @TempDir
    Path tmp;

    private static HfTokenizer fromGguf(GgufWriter metadata, Path file) {
        metadata.write(file);
        try (GgufFile g = GgufFile.open(file)) {
            return GgufTokenizer.build(g);
        }
    }

    /** The corpus lines, the whole corpus, and strings whose odd characters do not depend on how files are stored. */
    static List<String> texts() throws IOException {
        String corpus;
        try (InputStream in = GgufTokenizerTest.class.getResourceAsStream("/tokenizer-corpus.txt")) {
            corpus = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> texts = new ArrayList<>(Arrays.asList(corpus.split("\n", -1)));
        texts.add(corpus);
        texts.addAll(List.of("", " ", "  ", "\n\n\n", "\r\n", "\t", "\u00a0", "\u3000", "many" + " ".repeat(37) + "spaces",
                "    indented\n\tand tabbed", "trailing   ", "   leading", "12345 1234567 3.14159", "don't DON'T I'LL",
                "😀👍🏽👨‍👩‍👧‍👦", "e\u0301 \u0301", "\ufeffBOM \u200b\u200d", "\u0000nul", "中文🙂日本語 한국어 مرحبا",
                "▁already▁spaced", "Ġnot a byte token", "<0x0A> literally", "ab".repeat(300),
                "a jeho zdrav nhanh việc lardan" /* Llama-3 tokens its merges never build: only ignore_merges finds them */));
        return texts;
    }

    private static final List<String> SENTENCE_PIECE_ADDED = List.of("<s>", "</s>", "<unk>");

    private static boolean mentions(String text, List<String> tokens) {
        return tokens.stream().anyMatch(text::contains);
    }

    private static int[] prepend(int first, int[] ids) {
        return IntStream.concat(IntStream.of(first), Arrays.stream(ids)).toArray();
    }

    /** Encodes and decodes every text as {@code original} does; with special tokens, plus a BOS only the GGUF adds. */
    private static void assertTokenizesLike(Tokenizer original, Tokenizer gguf, List<String> texts, boolean ggufAddsBos) {
        for (String text : texts) {
            int[] plain = original.encode(text, false);
            assertThat(gguf.encode(text, false)).as("ids of %s", text).containsExactly(plain);
            int[] special = original.encode(text, true);
            assertThat(gguf.encode(text, true)).as("ids with special tokens of %s", text)
                    .containsExactly(ggufAddsBos ? prepend(gguf.bosId(), special) : special);
            assertThat(gguf.decode(plain, false)).as("text of %s", text).isEqualTo(original.decode(plain, false));
            assertThat(gguf.decode(special, true)).as("text without specials of %s", text).isEqualTo(original.decode(special, true));
        }
    }

    private static String splitRegex(Path tokenizerJson) throws IOException {
        JsonNode pre = new ObjectMapper().readTree(tokenizerJson.toFile()).get("pre_tokenizer");
        return pre.path("pretokenizers").path(0).path("pattern").path("Regex").asText(null);
    }

    @ParameterizedTest(name = "{0} as pre ''{1}''")
    @CsvSource({"Meta-Llama-3-8B-Instruct, llama-bpe, 128000, 128009, true",
            "Qwen2.5-1.5B-Instruct, qwen2, -1, 151645, false",
            "gpt2, gpt-2, 50256, 50256, false"})
    void byteLevelVocabularyTokenizesLikeItsTokenizerJson(String folder, String pre, int bos, int eos, boolean addsBos) throws IOException {
        Path json = SharedFiles.hf(folder).resolve("tokenizer.json");
        HfTokenizer original = HfTokenizer.load(json);
        int padded = (original.vocabSize() + 63) / 64 * 64; // the converter pads to config.json's vocab_size
        HfTokenizer gguf = fromGguf(LlamaCppTokenizerMetadata.byteLevel(json, pre, padded), tmp.resolve(folder + ".gguf"));

        assertThat(GgufPreTokenizer.named(pre).regexes()).as("regexes of the original tokenizer.json")
                .isEqualTo(splitRegex(json) == null ? List.of() : List.of(splitRegex(json)));
        assertThat(gguf.vocabSize()).isEqualTo(padded);
        for (int id = 0; id < original.vocabSize(); id++) assertThat(gguf.tokenString(id)).isEqualTo(original.tokenString(id));
        assertThat(gguf.bosId()).isEqualTo(bos);
        assertThat(gguf.eosId()).isEqualTo(eos);
        assertThat(original.addedTokens()).allSatisfy(t -> assertThat(gguf.isSpecial(t.id()))
                .as("%s is special", t.content()).isEqualTo(t.special() || t.content().startsWith("<|")));
        assertTokenizesLike(original, gguf, texts(), addsBos);
    }

    @Test
    void llamaThreeAddsBosByDefaultAsLlamaCppDoesButNotWhenTheFileSaysNo() throws IOException {
        Path json = SharedFiles.hf("Meta-Llama-3-8B-Instruct").resolve("tokenizer.json");
        HfTokenizer noBos = fromGguf(LlamaCppTokenizerMetadata.byteLevel(json, "llama-bpe", 0)
                .putBool("tokenizer.ggml.add_bos_token", false), tmp.resolve("no-bos.gguf"));
        assertThat(noBos.encode("Hello", true)).containsExactly(9906);
        HfTokenizer withEos = fromGguf(LlamaCppTokenizerMetadata.byteLevel(json, "llama-bpe", 0)
                .putBool("tokenizer.ggml.add_eos_token", true), tmp.resolve("eos.gguf"));
        assertThat(withEos.encode("Hello", true)).containsExactly(128000, 9906, 128009);
    }

    @Test
    void defaultPreTokenizerIsLlamaCppsNotGpt2s() throws IOException {
        Path json = SharedFiles.hf("gpt2").resolve("tokenizer.json");
        HfTokenizer gpt2 = HfTokenizer.load(json);
        HfTokenizer byDefault = fromGguf(LlamaCppTokenizerMetadata.byteLevel(json, "default", 0), tmp.resolve("default.gguf"));
        // llama.cpp's default cuts digit runs into threes and punctuation runs off their words.
        assertThat(byDefault.encode("12345", false)).containsExactly(concat(gpt2.encode("123", false), gpt2.encode("45", false)));
        assertThat(byDefault.encode("a.b", false)).containsExactly(concat(gpt2.encode("a", false), gpt2.encode(".", false), gpt2.encode("b", false)));
        assertThat(byDefault.encode("Hello world", false)).containsExactly(gpt2.encode("Hello world", false));
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mixtral-8x22B-v0.1_mistral-community", "llama-tokenizer_hf-internal-testing"})
    void sentencePieceVocabularyTokenizesLikeItsTokenizerJson(String folder) throws IOException {
        Path json = SharedFiles.hf(folder).resolve("tokenizer.json");
        HfTokenizer original = HfTokenizer.load(json);
        HfTokenizer gguf = fromGguf(LlamaCppTokenizerMetadata.sentencePiece(json), tmp.resolve(folder + ".gguf"));
        assertThat(gguf.vocabSize()).isEqualTo(original.vocabSize());
        assertThat(gguf.bosId()).isEqualTo(1);
        assertThat(gguf.eosId()).isEqualTo(2);
        // hf-internal-testing marks <s> "normalized", which changes the spaces around it; llama.cpp's way is Mixtral's.
        boolean addedTokensNormalized = folder.startsWith("llama-tokenizer");
        List<String> texts = texts().stream().filter(t -> !addedTokensNormalized || !mentions(t, SENTENCE_PIECE_ADDED)).toList();
        assertTokenizesLike(original, gguf, texts, false);
        // hf-internal-testing's last merges (runs of ▁, tied in score) are not in any score order; encodings still agree.
        List<String> spaceRuns = IntStream.range(1, 80).mapToObj(n -> "x" + " ".repeat(n) + "y\n" + "\t".repeat(n % 7)).toList();
        assertTokenizesLike(original, gguf, spaceRuns, false);
    }

    @Test
    void scoresFallingWithMergeRankReproduceMixtralsMergesExactly() throws IOException {
        Path json = SharedFiles.hf("Mixtral-8x22B-v0.1_mistral-community").resolve("tokenizer.json");
        Path file = tmp.resolve("mixtral.gguf");
        LlamaCppTokenizerMetadata.sentencePiece(json).write(file);
        List<String> synthesised = new ArrayList<>();
        try (GgufFile g = GgufFile.open(file)) {
            GgufTokenizerJson.of(GgufVocabulary.read(g)).path("model").path("merges")
                    .forEach(m -> synthesised.add(m.get(0).asText() + " " + m.get(1).asText()));
        }
        List<String> original = new ArrayList<>();
        new ObjectMapper().readTree(json.toFile()).path("model").path("merges").forEach(m -> original.add(m.asText()));
        assertThat(synthesised).hasSize(58980).isEqualTo(original);
    }

    @Test
    void sentencePieceAddsItsSpaceAfterEverySpecialTokenAsLlamaCppDoes() throws IOException {
        Path json = SharedFiles.hf("llama-tokenizer_hf-internal-testing").resolve("tokenizer.json");
        HfTokenizer gguf = fromGguf(LlamaCppTokenizerMetadata.sentencePiece(json), tmp.resolve("llama.gguf"));
        // llama.cpp: each piece of text between special tokens is tokenized with its own leading space
        assertThat(gguf.encode("a <s> b</s>c", false)).containsExactly(
                concat(gguf.encode("a ", false), new int[] {1}, gguf.encode(" b", false), new int[] {2}, gguf.encode("c", false)));
        assertThat(gguf.encode("<s>Hi", true)).containsExactly(concat(new int[] {1, 1}, gguf.encode("Hi", false)));
    }

    @Test
    void addFlagsAndSpacePrefixFollowTheMetadata() {
        HfTokenizer plain = fromGguf(LlamaCppTokenizerMetadata.llama2c(stories()), tmp.resolve("plain.gguf"));
        HfTokenizer flags = fromGguf(LlamaCppTokenizerMetadata.llama2c(stories()).putBool("tokenizer.ggml.add_space_prefix", false)
                .putBool("tokenizer.ggml.add_bos_token", false).putBool("tokenizer.ggml.add_eos_token", true), tmp.resolve("flags.gguf"));
        for (String text : List.of("Hello world", "x", "  two spaces")) {
            assertThat(flags.encode(" " + text, false)).as("no space prefix: %s", text).containsExactly(plain.encode(text, false));
            assertThat(flags.encode(text, true)).as("EOS, no BOS: %s", text).containsExactly(concat(flags.encode(text, false), new int[] {2}));
            assertThat(flags.decode(flags.encode(" " + text, false), false)).isEqualTo(" " + text);
        }
        assertThat(plain.encode("Hello", true)).containsExactly(concat(new int[] {1}, plain.encode("Hello", false)));
    }

    private static Llama2cTokenizer stories() {
        return Llama2cTokenizer.read(SharedFiles.shared().resolve("models/stories260K/tok512.bin"), 512);
    }

    @Test
    void llama2cVocabularyTokenizesLikeLlama2c() throws IOException {
        Llama2cTokenizer llama2c = stories();
        HfTokenizer gguf = fromGguf(LlamaCppTokenizerMetadata.llama2c(llama2c), tmp.resolve("stories.gguf"));
        assertThat(gguf.vocabSize()).isEqualTo(512);
        assertThat(gguf.bosId()).isEqualTo(1);
        assertThat(gguf.eosId()).isEqualTo(2);
        // llama2.c reads "<s>" in text as characters and "▁" as a byte sequence; llama.cpp (and so the GGUF tokenizer)
        // recognises control tokens and cannot tell "▁" from a space.
        List<String> texts = texts().stream().filter(t -> !mentions(t, SENTENCE_PIECE_ADDED) && !t.contains("\u2581")).toList();
        for (String text : texts) {
            int[] ids = llama2c.encode(text, false);
            assertThat(gguf.encode(text, false)).as("ids of %s", text).containsExactly(ids);
            assertThat(gguf.encode(text, true)).as("ids with BOS of %s", text).containsExactly(llama2c.encode(text, true));
            assertThat(gguf.decode(ids, false)).as("text of %s", text).isEqualTo(llama2c.decode(ids, false));
        }
    }
}
