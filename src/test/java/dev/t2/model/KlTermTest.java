package dev.t2.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.tensor.DType;
import dev.t2.testing.GradientCheck;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** β·KL(π_ref ‖ πθ) over the vocabulary: zero at the reference, positive away from it, gradients by finite differences. */
class KlTermTest {
    static final List<int[]> SEQS = List.of(new int[] {1, 5, 9, 3, 7, 2}, new int[] {1, 8, 8, 4});
    static final int[] PROMPTS = {2, 1};

    @Test
    void klIsZeroAtTheReferenceAndItsGradientMatchesFiniteDifferences() {
        ModelConfig c = BackpropGradientTest.tiny("LlamaForCausalLM", false, false, 0, false);
        LlamaWeights base = RandomWeights.create(c, DType.F32, 6, 0.3);
        TrainableWeights reference = TrainableWeights.frozen(c, base);
        TrainableWeights w = TrainableWeights.allTrainable(c, base);
        TokenLoss klOnly = TokenLoss.completions(SEQS, PROMPTS, new float[] {0, 0}).withKlOnCompletions(PROMPTS, 0.5f);
        w.zeroGrad();
        assertThat(Backprop.run(w, klOnly, false, reference).loss()).isCloseTo(0, Offset.offset(1e-6));
        for (Parameter p : w.trainable()) for (float g : p.grad()) assertThat(g).isCloseTo(0f, Offset.offset(1e-5f));

        Random rnd = new Random(1);
        for (Parameter p : w.trainable()) for (int i = 0; i < p.size(); i++) p.value()[i] += 0.05f * (float) rnd.nextGaussian();
        TokenLoss both = TokenLoss.completions(SEQS, PROMPTS, new float[] {1, -0.5f}).withKlOnCompletions(PROMPTS, 0.3f);
        w.zeroGrad();
        assertThat(Backprop.run(w, klOnly, false, reference).loss()).isGreaterThan(1e-5);
        w.zeroGrad();
        Backprop.run(w, both, false, reference);
        GradientCheck.directional("policy gradient + KL", w.trainable(), GradientCheck.snapshot(w.trainable()),
                () -> Backprop.run(w, both, false, reference).loss(), rnd, 1e-2, 2e-3, 2e-2);
    }
}
