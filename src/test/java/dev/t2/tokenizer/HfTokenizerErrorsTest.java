package dev.t2.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file we cannot use fails with one TokenizerException that names the file and says what is wrong. */
class HfTokenizerErrorsTest {

    /** A complete, tiny BPE tokenizer.json; tests break one part of it. */
    static final String TINY = """
            {"version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": null,
             "post_processor": null, "decoder": null,
             "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}}""";

    @TempDir
    Path dir;

    @Test
    void theTinyFileItselfLoads() throws IOException {
        HfTokenizer t = HfTokenizer.load(write(TINY));
        assertThat(t.encode("abab", false)).containsExactly(2, 2);
        assertThat(t.decode(new int[] {2, 0}, false)).isEqualTo("ab a"); // no decoder: HF joins with spaces
        assertThat(t.bosId()).isEqualTo(-1);
        assertThat(t.eosId()).isEqualTo(-1);
        assertThat(t.addedTokens()).isEmpty();
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("nowhere").resolve("tokenizer.json");
        assertThatThrownBy(() -> HfTokenizer.load(missing)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("not found");
    }

    @Test
    void folderWithoutTokenizerJson() {
        assertThatThrownBy(() -> HfTokenizer.load(dir)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString()).hasMessageContaining("not found");
    }

    @Test
    void truncatedJson() throws IOException {
        byte[] real = Files.readAllBytes(SharedFiles.hf("gpt2").resolve("tokenizer.json"));
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, Arrays.copyOf(real, real.length / 2));
        assertThatThrownBy(() -> HfTokenizer.load(file)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("malformed JSON");
    }

    @Test
    void emptyFile() throws IOException {
        Path file = write("");
        assertThatThrownBy(() -> HfTokenizer.load(file)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not a JSON object");
    }

    @Test
    void unigramAndWordPieceModelsAreNotSupported() throws IOException {
        for (String type : new String[] {"Unigram", "WordPiece", "WordLevel"}) {
            Path file = write(TINY.replace("\"type\": \"BPE\"", "\"type\": \"" + type + "\""));
            assertThatThrownBy(() -> HfTokenizer.load(file)).isInstanceOf(TokenizerException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("unsupported model type '" + type + "'");
        }
    }

    @Test
    void unknownPreTokenizer() throws IOException {
        Path file = write(TINY.replace("\"pre_tokenizer\": null", "\"pre_tokenizer\": {\"type\": \"FancySplit\"}"));
        assertThatThrownBy(() -> HfTokenizer.load(file)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("unsupported pre_tokenizer type 'FancySplit'");
    }

    @Test
    void unknownNormalizerDecoderAndPostProcessor() throws IOException {
        String[][] cases = {
                {"\"normalizer\": null", "\"normalizer\": {\"type\": \"Precompiled\", \"precompiled_charsmap\": \"\"}", "normalizer type 'Precompiled'"},
                {"\"decoder\": null", "\"decoder\": {\"type\": \"CTC\"}", "decoder type 'CTC'"},
                {"\"post_processor\": null", "\"post_processor\": {\"type\": \"Magic\"}", "post_processor type 'Magic'"}};
        for (String[] c : cases) {
            Path file = write(TINY.replace(c[0], c[1]));
            assertThatThrownBy(() -> HfTokenizer.load(file)).isInstanceOf(TokenizerException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining(c[2]);
        }
    }

    @Test
    void mergeOfUnknownToken() throws IOException {
        Path file = write(TINY.replace("\"a b\"", "\"a zz\""));
        assertThatThrownBy(() -> HfTokenizer.load(file)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("merge #1").hasMessageContaining("'zz'");
    }

    @Test
    void regexJavaCannotExpress() throws IOException {
        Path file = write(TINY.replace("\"pre_tokenizer\": null", """
                "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(?~abc)"}, "behavior": "Isolated", "invert": false}"""));
        assertThatThrownBy(() -> HfTokenizer.load(file)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("(?~abc)");
    }

    @Test
    void missingModel() throws IOException {
        Path file = write("{\"added_tokens\": []}");
        assertThatThrownBy(() -> HfTokenizer.load(file)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("\"model\"");
    }

    @Test
    void malformedTokenizerConfigIsNamed() throws IOException {
        write(TINY);
        Path config = dir.resolve("tokenizer_config.json");
        Files.writeString(config, "{\"bos_token\": ");
        assertThatThrownBy(() -> HfTokenizer.load(dir)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(config.toString());
    }

    private Path write(String json) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, json);
        return file;
    }
}
