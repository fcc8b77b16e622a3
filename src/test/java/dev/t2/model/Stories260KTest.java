package dev.t2.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.generate.GenerationOptions;
import dev.t2.generate.Generator;
import dev.t2.io.Llama2cCheckpoint;
import dev.t2.testing.SharedFiles;
import dev.t2.tokenizer.Llama2cTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ground truth: the real stories260K model reproduces the greedy sample documented in TRAINING-NOTES.md. */
class Stories260KTest {

    @Test
    void greedySampleMatchesTheDocumentedOutput() throws Exception {
        Path dir = SharedFiles.shared().resolve("models/stories260K");
        var loaded = Llama2cCheckpoint.read(dir.resolve("stories260K.bin"));
        var tokenizer = Llama2cTokenizer.read(dir.resolve("tok512.bin"), loaded.config().vocabSize());
        var model = new LlamaModel(loaded.config(), loaded.weights());
        // run.c's default: 256 steps from BOS, stop when the model emits BOS again
        var gen = new Generator(model, tokenizer).generate(new int[] {1},
                GenerationOptions.greedy(256, Set.copyOf(loaded.config().eosTokenIds())), null);
        String notes = Files.readString(dir.resolve("TRAINING-NOTES.md"));
        int start = notes.indexOf("Once upon a time, there was a little girl named Lily");
        String documented = notes.substring(start, notes.indexOf("```", start)).strip();
        assertThat(gen.text().strip()).isEqualTo(documented);
        assertThat(gen.tokens()).hasSize(256);
    }
}
