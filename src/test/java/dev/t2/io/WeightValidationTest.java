package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import dev.t2.testing.SharedFiles;
import dev.t2.testing.TinyModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hugging Face directory whose safetensors do not match its config.json (a tensor missing, a wrong shape)
 * fails in ModelLoader.load with one CheckpointException naming the file and the tensor. Weights are checked
 * before the tokenizer is looked for, so these tests need no tokenizer.json.
 */
class WeightValidationTest {
    @TempDir
    Path dir;

    ModelConfig config;
    Map<String, Tensor> tensors;

    @BeforeEach
    void writeTinyModel() throws Exception {
        ObjectNode json = TinyModels.shrink(SharedFiles.hf("TinyLlama-1.1B-Chat-v1.0").resolve("config.json"), 32);
        config = TinyModels.writeHuggingFace(dir, json, DType.F32, 5);
        tensors = new LinkedHashMap<>(TinyModels.tensors(config, TinyModels.randomWeights(config, 5), DType.F32));
    }

    private Path rewriteWeights() {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));
        return file;
    }

    @Test
    void theIntactTinyModelHasValidWeights() {
        LlamaWeights weights = LlamaWeights.fromNames(config, SafetensorsCheckpoint.open(dir)::find, dir.toString());
        assertThat(weights.byName().keySet()).containsExactlyInAnyOrderElementsOf(tensors.keySet());
    }

    @Test
    void aMissingTensorIsNamed() {
        tensors.remove("model.layers.1.mlp.up_proj.weight");
        Path file = rewriteWeights();
        for (Path path : new Path[] {dir, file}) {
            assertThatThrownBy(() -> ModelLoader.load(path)).isExactlyInstanceOf(CheckpointException.class)
                    .hasMessageContainingAll(file.toString(), "missing tensor 'model.layers.1.mlp.up_proj.weight'")
                    .cause().isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aTensorOfTheWrongShapeIsNamedWithBothShapes() {
        String name = "model.layers.0.self_attn.k_proj.weight";
        Tensor k = tensors.get(name);
        tensors.put(name, new Tensor(name, k.dtype(), new long[] {k.shape()[1], k.shape()[0]}, k.data()));
        rewriteWeights();
        assertThatThrownBy(() -> ModelLoader.load(dir)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll("model.safetensors", "tensor '" + name + "'",
                        "has shape [64, " + config.kvDim() + "]", "config needs [" + config.kvDim() + ", 64]");
    }

    @Test
    void anUntiedModelWithoutItsLmHeadIsNamed() {
        assertThat(config.tieWordEmbeddings()).isFalse();
        tensors.remove("lm_head.weight");
        rewriteWeights();
        assertThatThrownBy(() -> ModelLoader.load(dir)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll("model.safetensors", "'lm_head.weight'", "tie_word_embeddings is false");
    }

    @Test
    void aConfigThatIsNotValidIsAlsoACheckpointException() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"]}");
        assertThatThrownBy(() -> ModelLoader.load(dir)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContaining("config.json");
    }
}
