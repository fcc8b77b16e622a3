package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.generate.GenerationOptions;
import dev.t2.generate.Generator;
import dev.t2.model.LlamaModel;
import dev.t2.testing.SharedFiles;
import dev.t2.tokenizer.ChatMessage;
import dev.t2.tokenizer.Llama2cTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole GGUF model, stories260K with its llama2.c vocabulary written as llama.cpp lays them out, loads through
 * {@link ModelLoader}: tokenizer, stop tokens and chat template from the metadata, and it tells the same story.
 */
class GgufTokenizerEndToEndTest {

    @TempDir
    Path tmp;

    @Test
    void stories260kAsGgufLoadsWithItsTokenizerStopsAndTemplate() throws Exception {
        Path dir = SharedFiles.shared().resolve("models/stories260K");
        Llama2cCheckpoint.Loaded checkpoint = Llama2cCheckpoint.read(dir.resolve("stories260K.bin"));
        Llama2cTokenizer llama2c = Llama2cTokenizer.read(dir.resolve("tok512.bin"), 512);
        String qwenTemplate = new ObjectMapper().readTree(SharedFiles.hf("Qwen2.5-1.5B-Instruct").resolve("tokenizer_config.json")
                .toFile()).get("chat_template").asText();
        GgufWriter w = LlamaCppTokenizerMetadata.llama2c(llama2c)
                .putUInt32("tokenizer.ggml.eot_token_id", 1) // llama2.c's stories end where the next BOS begins
                .putString("tokenizer.chat_template", qwenTemplate);
        GgufModelTest.putModelMetadata(w, "llama", checkpoint.config());
        // llama2.c's q/k rows are already interleaved, as llama.cpp's converter permutes them
        checkpoint.weights().byName().forEach((name, t) -> w.addTensor(t.withName(GgufModelTest.ggufName(name))));
        Path file = tmp.resolve("stories260K.gguf");
        w.write(file);

        LoadedModel gguf = ModelLoader.load(file);
        assertThat(gguf.format()).isEqualTo("gguf");
        String text = "Once upon a time, there was a little girl named Lily. She liked to play outside.";
        assertThat(gguf.tokenizer().encode(text, true)).containsExactly(llama2c.encode(text, true));
        assertThat(gguf.stopTokens()).containsExactlyInAnyOrder(2, 1);
        assertThat(gguf.chatTemplate().specialTokens())
                .containsAllEntriesOf(Map.of("bos_token", "<s>", "eos_token", "</s>", "unk_token", "<unk>"));
        assertThat(gguf.chatTemplate().render(List.of(ChatMessage.system("You tell stories."), ChatMessage.user("One about a cat.")), true))
                .isEqualTo("<|im_start|>system\nYou tell stories.<|im_end|>\n<|im_start|>user\nOne about a cat.<|im_end|>\n"
                        + "<|im_start|>assistant\n");

        // The same greedy story as the llama2.c files (documented in TRAINING-NOTES.md), token for token.
        var options = GenerationOptions.greedy(256, gguf.stopTokens());
        var fromGguf = new Generator(gguf.model(), gguf.tokenizer()).generate(new int[] {gguf.tokenizer().bosId()}, options, null);
        var fromLlama2c = new Generator(new LlamaModel(checkpoint.config(), checkpoint.weights()), llama2c)
                .generate(new int[] {1}, options, null);
        assertThat(fromGguf.tokens()).containsExactly(fromLlama2c.tokens());
        assertThat(fromGguf.text()).isEqualTo(fromLlama2c.text());
        String notes = Files.readString(dir.resolve("TRAINING-NOTES.md"));
        int start = notes.indexOf("Once upon a time, there was a little girl named Lily");
        assertThat(fromGguf.text().strip()).isEqualTo(notes.substring(start, notes.indexOf("```", start)).strip());

        // t2 convert: the GGUF as a Hugging Face directory keeps tokenizer, template and story
        Path hf = tmp.resolve("hf");
        HuggingFaceExporter.export(gguf, hf, null);
        LoadedModel converted = ModelLoader.load(hf);
        assertThat(converted.config().ropeInterleaved()).isFalse();
        assertThat(converted.tokenizer().encode(text, true)).containsExactly(llama2c.encode(text, true));
        assertThat(converted.chatTemplate()).isNotNull();
        assertThat(new Generator(converted.model(), converted.tokenizer()).generate(new int[] {1}, options, null).tokens())
                .containsExactly(fromLlama2c.tokens());
    }
}
