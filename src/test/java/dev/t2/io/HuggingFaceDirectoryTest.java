package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.generate.GenerationOptions;
import dev.t2.generate.Generator;
import dev.t2.model.LlamaModel;
import dev.t2.model.SequenceChunk;
import dev.t2.tensor.DType;
import dev.t2.testing.SharedFiles;
import dev.t2.testing.TinyModels;
import dev.t2.tokenizer.ChatMessage;
import dev.t2.tokenizer.HfTokenizer;
import dev.t2.tokenizer.Llama2cTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole Hugging Face directories (config, weights, real tokenizer and chat template) load and run end to end. */
class HuggingFaceDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void qwenAndLlama3DirectoriesLoadWithTokenizerTemplateAndStopTokens() throws Exception {
        Path qwen = TinyModels.tinyWithRealTokenizer(tmp.resolve("qwen"), "_resaved-not-original/Qwen2.5-0.5B-Instruct", "Qwen2.5-1.5B-Instruct", 151936);
        Path llama = TinyModels.tinyWithRealTokenizer(tmp.resolve("llama"), "_resaved-not-original/Llama-3.2-1B-Instruct", "Meta-Llama-3-8B-Instruct", 128256);
        for (Path dir : List.of(qwen, llama)) {
            LoadedModel m = ModelLoader.load(dir);
            assertThat(m.tokenizer()).isInstanceOf(HfTokenizer.class);
            assertThat(m.chatTemplate()).as("chat template of %s", dir).isNotNull();
            String prompt = m.chatTemplate().render(List.of(new ChatMessage("user", "What is 2+2?")), true);
            int[] ids = m.tokenizer().encode(prompt, false);
            var g = new Generator(m.model(), m.tokenizer()).generate(ids, GenerationOptions.greedy(12, m.stopTokens()), null);
            assertThat(g.text()).isEqualTo(m.tokenizer().decode(g.tokens(), true));
            var again = new Generator(m.model(), m.tokenizer()).generate(ids, GenerationOptions.greedy(12, m.stopTokens()), null);
            assertThat(again.tokens()).containsExactly(g.tokens());
        }
        assertThat(ModelLoader.load(qwen).stopTokens()).contains(151645); // <|im_end|>
        assertThat(ModelLoader.load(llama).stopTokens()).contains(128001, 128008, 128009);
    }

    @Test
    void stories260KConvertedToHuggingFaceGivesTheSameTokensAndStory() throws Exception {
        LoadedModel original = ModelLoader.load(SharedFiles.shared().resolve("models/stories260K"));
        Path out = tmp.resolve("stories-hf");
        HuggingFaceExporter.export(original, out, null);
        LoadedModel converted = ModelLoader.load(out);
        assertThat(converted.config().ropeInterleaved()).isFalse();
        assertThat(converted.tokenizer()).isInstanceOf(HfTokenizer.class);

        Llama2cTokenizer l2c = (Llama2cTokenizer) original.tokenizer();
        for (String text : List.of("Once upon a time, there was a little girl named Lily.", "Tom said, \"I can't!\"\nThe end.",
                "  two  spaces", "émoji 😀 and 中文 fall back to bytes", "")) {
            assertThat(converted.tokenizer().encode(text, true)).as(text).containsExactly(l2c.encode(text, true));
        }
        int[] story = new Generator(original.model(), original.tokenizer()).generate(new int[] {1}, GenerationOptions.greedy(200, original.stopTokens()), null).tokens();
        var fromConverted = new Generator(converted.model(), converted.tokenizer()).generate(new int[] {1}, GenerationOptions.greedy(200, original.stopTokens()), null);
        assertThat(fromConverted.tokens()).containsExactly(story);
        assertThat(fromConverted.text()).startsWith("Once upon a time, there was a little girl named Lily.");

        // a bf16 copy still tells the same story for a while (rounding shifts late tokens first)
        Path bf16 = tmp.resolve("stories-bf16");
        HuggingFaceExporter.export(original, bf16, DType.BF16);
        LlamaModel m = ModelLoader.load(bf16).model();
        float[] logits = m.forward(List.of(new SequenceChunk(m.newCache(), new int[] {1, 403, 407})), LlamaModel.Logits.LAST_PER_CHUNK);
        float[] exact = original.model().forward(original.model().newCache(), 1, 403, 407);
        for (int i = 0; i < exact.length; i++) assertThat(Math.abs(logits[i] - exact[i])).isLessThan(0.05f * (1 + Math.abs(exact[i])));
    }

    @Test
    void exportRefusesAnExistingDirectoryAndLeavesNothingHalfWritten() throws Exception {
        LoadedModel original = ModelLoader.load(SharedFiles.shared().resolve("models/stories260K"));
        Path out = Files.createDirectories(tmp.resolve("exists"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HuggingFaceExporter.export(original, out, null))
                .hasMessageContaining("already exists");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("exists");
        }
    }
}
