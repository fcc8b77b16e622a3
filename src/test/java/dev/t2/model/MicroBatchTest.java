package dev.t2.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.tensor.DType;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Accumulating gradients over micro-batches gives the loss and gradients of one big pass. */
class MicroBatchTest {
    @Test
    void microBatchesEqualOnePass() {
        ModelConfig c = BackpropGradientTest.tiny("Qwen2ForCausalLM", true, true, 0, false);
        LlamaWeights base = RandomWeights.create(c, DType.F32, 2, 0.3);
        TrainableWeights w = TrainableWeights.allTrainable(c, base);
        List<int[]> seqs = List.of(new int[] {1, 4, 6, 8, 2}, new int[] {1, 3, 3}, new int[] {1, 9, 10, 11, 12, 13}, new int[] {1, 7});
        TokenLoss loss = TokenLoss.completions(seqs, new int[] {2, 1, 3, 1}, new float[] {0.5f, -0.25f, 1f, 0.3f})
                .withKlOnCompletions(new int[] {2, 1, 3, 1}, 0.2f);
        TrainableWeights reference = TrainableWeights.frozen(c, RandomWeights.create(c, DType.F32, 3, 0.3));
        w.zeroGrad();
        var one = Backprop.run(w, loss, false, reference);
        List<float[]> grads = w.trainable().stream().map(p -> p.grad().clone()).toList();
        w.zeroGrad();
        var split = Backprop.runInMicroBatches(w, loss, false, reference, 8);
        assertThat(split.loss()).isCloseTo(one.loss(), Offset.offset(1e-5));
        assertThat(split.kl()).isCloseTo(one.kl(), Offset.offset(1e-5));
        assertThat(split.weightedTargets()).isEqualTo(one.weightedTargets());
        for (int s = 0; s < seqs.size(); s++) assertThat(split.sequenceLogProbs()[s]).isCloseTo(one.sequenceLogProbs()[s], Offset.offset(1e-5));
        for (int p = 0; p < grads.size(); p++) {
            float[] g = w.trainable().get(p).grad();
            for (int i = 0; i < g.length; i++) assertThat(g[i]).isCloseTo(grads.get(p)[i], Offset.offset(1e-5f + 1e-4f * Math.abs(grads.get(p)[i])));
        }
    }
}
