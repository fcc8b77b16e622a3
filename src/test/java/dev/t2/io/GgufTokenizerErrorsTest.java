package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tokenizer metadata llama.cpp would not load, or t2 cannot run, fails with the file and the key named. */
class GgufTokenizerErrorsTest {

    @TempDir
    Path tmp;

    private static final String[] BYTE_TOKENS = {"a", "b", "ab", "Ġ", "<|end|>"};

    private static GgufWriter byteLevel() {
        return new GgufWriter().putString("tokenizer.ggml.model", "gpt2").putStringArray("tokenizer.ggml.tokens", BYTE_TOKENS)
                .putIntArray("tokenizer.ggml.token_type", 1, 1, 1, 1, 3);
    }

    private static GgufWriter sentencePiece() {
        return new GgufWriter().putString("tokenizer.ggml.model", "llama")
                .putStringArray("tokenizer.ggml.tokens", "<unk>", "<s>", "</s>", "▁", "a", "▁a");
    }

    private Path write(GgufWriter w) {
        Path file = tmp.resolve("tokenizer.gguf");
        w.write(file);
        return file;
    }

    private void assertFails(GgufWriter w, String... mentioned) {
        Path file = write(w);
        try (GgufFile g = GgufFile.open(file)) {
            assertThatThrownBy(() -> GgufTokenizer.build(g)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining(file.toString()).hasMessageContainingAll(mentioned);
        }
    }

    @Test
    void missingTokens() {
        assertFails(new GgufWriter().putString("tokenizer.ggml.model", "llama"), "tokenizer.ggml.tokens", "missing");
    }

    @Test
    void missingModel() {
        assertFails(new GgufWriter().putStringArray("tokenizer.ggml.tokens", "a"), "tokenizer.ggml.model", "missing");
    }

    @Test
    void scoresOfAnotherLength() {
        assertFails(sentencePiece().putFloatArray("tokenizer.ggml.scores", 0, 0, 0), "tokenizer.ggml.scores", "3 entries", "6");
    }

    @Test
    void tokenTypesOfAnotherLength() {
        assertFails(sentencePiece().putIntArray("tokenizer.ggml.token_type", 2, 3, 3), "tokenizer.ggml.token_type", "3 entries");
    }

    @Test
    void undefinedTokenType() {
        assertFails(sentencePiece().putIntArray("tokenizer.ggml.token_type", 2, 3, 3, 1, 1, 9), "tokenizer.ggml.token_type", "[5] = 9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "t5", "rwkv", "plamo2"})
    void unsupportedModelType(String model) {
        assertFails(new GgufWriter().putString("tokenizer.ggml.model", model).putStringArray("tokenizer.ggml.tokens", "a"),
                "tokenizer.ggml.model", "'" + model + "'", "llama", "gpt2");
    }

    @Test
    void fileWithoutTokenizer() {
        assertFails(new GgufWriter().putString("tokenizer.ggml.model", "none"), "tokenizer.ggml.model", "no tokenizer");
    }

    @Test
    void unknownPreTokenizer() {
        assertFails(byteLevel().putStringArray("tokenizer.ggml.merges", "a b").putString("tokenizer.ggml.pre", "starcoder"),
                "tokenizer.ggml.pre", "'starcoder'", "llama-bpe", "qwen2", "gpt-2");
    }

    @Test
    void byteLevelWithoutMerges() {
        assertFails(byteLevel().putString("tokenizer.ggml.pre", "gpt-2"), "tokenizer.ggml.merges", "missing");
    }

    @Test
    void mergeOfUnknownTokensOrWithoutASpace() {
        assertFails(byteLevel().putStringArray("tokenizer.ggml.merges", "a b", "a c").putString("tokenizer.ggml.pre", "gpt-2"),
                "'tokenizer.ggml.merges'[1]", "'c' is not a token");
        assertFails(byteLevel().putStringArray("tokenizer.ggml.merges", "ab").putString("tokenizer.ggml.pre", "gpt-2"),
                "'tokenizer.ggml.merges'[0]", "no space");
        assertFails(byteLevel().putStringArray("tokenizer.ggml.merges", "b a").putString("tokenizer.ggml.pre", "gpt-2"),
                "'tokenizer.ggml.merges'[0]", "'ba' is not a token");
    }

    @Test
    void addingABosThatDoesNotExist() {
        assertFails(byteLevel().putStringArray("tokenizer.ggml.merges", "a b").putString("tokenizer.ggml.pre", "gpt-2")
                .putBool("tokenizer.ggml.add_bos_token", true), "tokenizer.ggml.add_bos_token", "tokenizer.ggml.bos_token_id");
    }

    @Test
    void aSmallValidVocabularyLoads() {
        Path file = write(byteLevel().putStringArray("tokenizer.ggml.merges", "a b").putString("tokenizer.ggml.pre", "gpt-2")
                .putUInt32("tokenizer.ggml.eos_token_id", 4).putUInt32("tokenizer.ggml.padding_token_id", 99));
        try (GgufFile g = GgufFile.open(file)) {
            var tokenizer = GgufTokenizer.build(g);
            assertThat(tokenizer.encode("ab<|end|>", true)).containsExactly(2, 4);
            assertThat(tokenizer.eosId()).isEqualTo(4);
            assertThat(tokenizer.bosId()).isEqualTo(-1);
            // an id outside the vocabulary is ignored, as llama.cpp ignores it
            assertThat(GgufTokenizer.specialTokens(tokenizer)).containsExactly(java.util.Map.entry("eos_token", "<|end|>"));
        }
    }
}
