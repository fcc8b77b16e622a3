package dev.t2.calm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2.model.LlamaModel;
import dev.t2.model.Parameter;
import dev.t2.model.RandomWeights;
import dev.t2.model.SequenceChunk;
import dev.t2.tensor.DType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A composition written and read back is the same composition, and only for the two models it was trained for. */
class CompositionFileTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripKeepsEveryValueAndTheComposedOutput() {
        TinyPair pair = TinyPair.create(DType.BF16);
        Composition c = pair.trainedLooking(7, true);
        Path file = tmp.resolve("c.safetensors");
        CompositionFile.write(file, c, pair.augmentConfig(), pair.augmentWeights(), pair.anchorConfig(), pair.anchorWeights(), Map.of("task", "toy"));
        var loaded = CompositionFile.read(file, pair.augmentConfig(), pair.augmentWeights(), pair.anchorConfig(), pair.anchorWeights());
        assertThat(loaded.info()).containsExactly(Map.entry("task", "toy"));
        assertThat(loaded.composition().config()).isEqualTo(c.config());
        for (int i = 0; i < c.parameters().size(); i++) {
            Parameter a = c.parameters().get(i), b = loaded.composition().parameters().get(i);
            assertThat(b.name()).isEqualTo(a.name());
            assertThat(b.shape()).isEqualTo(a.shape());
            assertThat(b.value()).containsExactly(a.value());
        }
        int[] tokens = {1, 4, 9, 16, 25};
        ComposedModel before = new ComposedModel(pair.anchor(), pair.augment(), c), after = new ComposedModel(pair.anchor(), pair.augment(), loaded.composition());
        assertThat(after.forward(List.of(new SequenceChunk(after.newCache(), tokens)), LlamaModel.Logits.ALL))
                .containsExactly(before.forward(List.of(new SequenceChunk(before.newCache(), tokens)), LlamaModel.Logits.ALL));
    }

    @Test
    void refusesOtherModels() {
        TinyPair pair = TinyPair.create(DType.BF16);
        Path file = tmp.resolve("c.safetensors");
        CompositionFile.write(file, pair.composition(1), pair.augmentConfig(), pair.augmentWeights(), pair.anchorConfig(), pair.anchorWeights(), Map.of());
        var otherAnchor = RandomWeights.create(pair.anchorConfig(), DType.BF16, 99, 0.3);
        assertThatThrownBy(() -> CompositionFile.read(file, pair.augmentConfig(), pair.augmentWeights(), pair.anchorConfig(), otherAnchor))
                .hasMessageContaining("trained for another anchor of the same shape");
        assertThatThrownBy(() -> CompositionFile.read(file, pair.anchorConfig(), pair.anchorWeights(), pair.augmentConfig(), pair.augmentWeights()))
                .hasMessageContaining("composes another anchor (LlamaForCausalLM, 3 layers, width 16); this anchor is Qwen2ForCausalLM, 3 layers, width 24");
    }
}
