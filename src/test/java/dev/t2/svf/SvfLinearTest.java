package dev.t2.svf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.model.Backprop;
import dev.t2.model.FrozenLinear;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.Parameter;
import dev.t2.model.RandomWeights;
import dev.t2.model.RopeScaling;
import dev.t2.model.TokenLoss;
import dev.t2.model.TrainableWeights;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SvfLinearTest {

    @Test
    void svdReconstructsAndOrdersSingularValues() {
        Random rnd = new Random(2);
        for (int[] shape : new int[][] {{12, 5}, {5, 12}, {9, 9}}) {
            float[] v = new float[shape[0] * shape[1]];
            for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
            Tensor w = Tensor.ofFloats("w", v, shape[0], shape[1]);
            Svd svd = Svd.of(w);
            assertThat(svd.rank()).isEqualTo(Math.min(shape[0], shape[1]));
            assertThat(svd.reconstructionError(w)).isLessThan(1e-5);
            for (int k = 1; k < svd.rank(); k++) assertThat(svd.sigma()[k]).isLessThanOrEqualTo(svd.sigma()[k - 1]);
        }
    }

    @Test
    void atInitTheAdaptedMatrixIsCloseToTheBaseAndScaleInvariant() {
        Random rnd = new Random(3);
        float[] v = new float[8 * 6];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        Tensor w = Tensor.ofFloats("w", v, 8, 6);
        Parameter p = new Parameter("p", new float[6], 6);
        java.util.Arrays.fill(p.value(), 0.3f); // every scale equal ⇒ the rescale restores W exactly
        SvfLinear svf = new SvfLinear(Svd.of(w), p, 1f);
        float[] adapted = svf.weight();
        for (int i = 0; i < v.length; i++) assertThat(adapted[i]).isCloseTo(v[i], Offset.offset(1e-4f));
        assertThat(svf.scale()[0]).isCloseTo(1f / (1f + (float) Math.exp(-0.3)), Offset.offset(1e-6f));
    }

    @Test
    void gradientsOfSvfScalesMatchFiniteDifferencesThroughAFrozenModel() {
        ModelConfig c = new ModelConfig("LlamaForCausalLM", 16, 24, 2, 4, 2, 4, 32, 64, 1e-5f, 10000, RopeScaling.NONE,
                false, false, false, 0, 1, List.of(2));
        LlamaWeights base = RandomWeights.create(c, DType.BF16, 4, 0.3);
        Random rnd = new Random(5);
        // all seven projections of every layer adapted, so gradients also cross frozen-then-adapted layers
        TrainableWeights w = TrainableWeights.frozen(c, base).withProjections((name, lin) ->
                new SvfLinear(Svd.of(((FrozenLinear) lin).weight()), SvfLinear.initialLogits(name, Math.min(lin.in(), lin.out()), rnd), 1f));
        for (Parameter p : w.trainable()) for (int i = 0; i < p.size(); i++) p.value()[i] += 0.5f * (float) rnd.nextGaussian();
        TokenLoss loss = TokenLoss.completions(List.of(new int[] {1, 5, 9, 3, 7, 2}, new int[] {1, 8, 8, 4}), new int[] {2, 1},
                new float[] {1f, -1f});
        w.zeroGrad();
        Backprop.run(w, loss, false);
        java.util.Map<Parameter, float[]> grads = new java.util.HashMap<>(); // the finite-difference runs below add to .grad()
        for (Parameter p : w.trainable()) grads.put(p, p.grad().clone());
        for (Parameter p : w.trainable()) {
            float[] grad = grads.get(p);
            for (int k : new int[] {0, p.size() / 2, p.size() - 1}) {
                float saved = p.value()[k];
                double eps = 5e-2;
                p.value()[k] = (float) (saved + eps);
                double plus = Backprop.run(w, loss, false).loss();
                p.value()[k] = (float) (saved - eps);
                double minus = Backprop.run(w, loss, false).loss();
                p.value()[k] = saved;
                double numeric = (plus - minus) / (2 * eps);
                assertThat(Math.abs(numeric - grad[k])).as("%s[%d]: numeric %.6f analytic %.6f", p.name(), k, numeric, grad[k])
                        .isLessThan(1e-3 + 3e-2 * Math.abs(grad[k]));
            }
        }
        // ranks: q 16, k 8, v 8, o 16, gate/up 16, down 16 per layer
        assertThat(w.trainableCount()).isEqualTo(2L * (16 + 8 + 8 + 16 + 16 + 16 + 16));
    }
}
