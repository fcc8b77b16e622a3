package dev.t2.svf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2.io.CheckpointException;
import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.Parameter;
import dev.t2.model.RandomWeights;
import dev.t2.model.RopeScaling;
import dev.t2.tensor.DType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved LoRA adapter read back and merged gives the trained policy's model; foreign or malformed files are refused. */
class LoraAdapterTest {
    static final ModelConfig C = LoraLinearTest.C;

    @TempDir
    Path tmp;

    @Test
    void aSavedAdapterAppliedToTheBaseEqualsThePolicysModel() {
        LlamaWeights base = RandomWeights.create(C, DType.BF16, 4, 0.3);
        LoraPolicy policy = new LoraPolicy(C, base, List.of("self_attn.q_proj", "self_attn.v_proj"), 2, 4, 9);
        Random rnd = new Random(3);
        for (Parameter p : policy.trainable().trainable()) {
            for (int i = 0; i < p.value().length; i++) p.value()[i] = (float) rnd.nextGaussian() * 0.2f; // B ≠ 0, so the adapter matters
        }
        Path file = tmp.resolve("adapter.safetensors");
        policy.save(file, Map.of("task", "unit"));
        LoraAdapter adapter = LoraAdapter.read(file);
        assertThat(adapter.rank()).isEqualTo(2);
        assertThat(adapter.parameterCount()).isEqualTo(policy.parameterCount());
        assertThat(adapter.info()).containsEntry("task", "unit");
        int[] prompt = {1, 5, 9, 3};
        float[] expected = lastLogits(policy.model(), prompt), got = lastLogits(new LlamaModel(C, adapter.applyTo(base)), prompt);
        assertThat(got).containsExactly(expected);
        assertThat(lastLogits(new LlamaModel(C, base), prompt)).isNotEqualTo(expected);
    }

    @Test
    void anAdapterOfAnotherShapeOrAnSvfExpertIsRefused() {
        LlamaWeights base = RandomWeights.create(C, DType.F32, 4, 0.3);
        LoraPolicy policy = new LoraPolicy(C, base, List.of("self_attn.q_proj"), 2, 4, 9);
        Path file = tmp.resolve("a.safetensors");
        policy.save(file, Map.of());
        ModelConfig wider = new ModelConfig("Qwen2ForCausalLM", 16, 32, 2, 4, 2, 8, 32, 64, 1e-5f, 10000, RopeScaling.NONE,
                false, true, true, 0, 1, List.of(2));
        assertThatThrownBy(() -> LoraAdapter.read(file).applyTo(RandomWeights.create(wider, DType.F32, 4, 0.3)))
                .hasMessageContaining("self_attn.q_proj").hasMessageContaining("another model");
        Path svf = tmp.resolve("svf.safetensors");
        ExpertFile.write(svf, new SvfExpert(Map.of("model.layers.0.mlp.up_proj", new float[16]), Map.of("model.layers.0.mlp.up_proj", new int[] {32, 16}),
                "fp", "Qwen2ForCausalLM", SvfTargets.MLP, Map.of()));
        assertThatThrownBy(() -> LoraAdapter.read(svf)).isInstanceOf(CheckpointException.class).hasMessageContaining("not a t2 LoRA adapter");
    }

    private static float[] lastLogits(LlamaModel model, int[] prompt) {
        return model.forward(model.newCache(), prompt);
    }
}
