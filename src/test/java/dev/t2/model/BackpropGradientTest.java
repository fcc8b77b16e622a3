package dev.t2.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite differences against the hand-written backward pass, for every trainable parameter tensor of tiny
 * models of each architectural variant (GQA, q/k/v bias, sliding window, tied head, both RoPE layouts),
 * with both losses, with and without activation recompute.
 */
class BackpropGradientTest {

    static ModelConfig tiny(String arch, boolean bias, boolean tied, int window, boolean interleaved) {
        return new ModelConfig(arch, 16, 24, 2, 4, 2, 4, 32, 64, 1e-5f, 10000, RopeScaling.NONE, interleaved, tied, bias,
                window, 1, List.of(2));
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("llama, untied", tiny("LlamaForCausalLM", false, false, 0, false), false),
                Arguments.of("qwen2 bias, tied", tiny("Qwen2ForCausalLM", true, true, 0, false), false),
                Arguments.of("mistral window 3", tiny("MistralForCausalLM", false, false, 3, false), true),
                Arguments.of("llama2.c interleaved, recompute", tiny("LlamaForCausalLM", false, true, 0, true), true));
    }

    static TokenLoss losses(boolean completions) {
        List<int[]> seqs = List.of(new int[] {1, 5, 9, 3, 7, 7, 2}, new int[] {1, 30, 4}, new int[] {1, 11, 12, 13, 14});
        return completions ? TokenLoss.completions(seqs, new int[] {3, 1, 2}, new float[] {0.7f, -1f, 0.4f}) : TokenLoss.nextToken(seqs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void everyParameterMatchesFiniteDifferences(String name, ModelConfig c, boolean recompute) {
        LlamaWeights base = RandomWeights.create(c, DType.F32, 3, 0.3);
        TrainableWeights w = TrainableWeights.allTrainable(c, base);
        Random rnd = new Random(9);
        for (int p = 0; p < w.trainable().size(); p++) {
            // perturb the norms away from exactly 1 so their gradients are not special
            Parameter param = w.trainable().get(p);
            if (param.name().contains("norm")) for (int i = 0; i < param.size(); i++) param.value()[i] += 0.2f * (float) rnd.nextGaussian();
        }
        for (boolean completions : new boolean[] {false, true}) {
            TokenLoss loss = losses(completions);
            w.zeroGrad();
            Backprop.run(w, loss, recompute);
            List<Parameter> params = w.trainable();
            List<float[]> grads = new ArrayList<>();
            for (Parameter p : params) grads.add(p.grad().clone());
            for (int pi = 0; pi < params.size(); pi++) {
                Parameter p = params.get(pi);
                float[] dir = new float[p.size()];
                double norm = 0;
                for (int i = 0; i < dir.length; i++) norm += (dir[i] = (float) rnd.nextGaussian()) * dir[i];
                for (int i = 0; i < dir.length; i++) dir[i] /= (float) Math.sqrt(norm);
                double analytic = 0;
                for (int i = 0; i < dir.length; i++) analytic += grads.get(pi)[i] * dir[i];
                double eps = 1e-2;
                double plus = lossAt(w, loss, p, dir, eps, recompute), minus = lossAt(w, loss, p, dir, -eps, recompute);
                double numeric = (plus - minus) / (2 * eps);
                assertThat(Math.abs(numeric - analytic)).as("%s, %s loss: d/d%s numeric %.6f analytic %.6f", name,
                        completions ? "completion" : "next-token", p.name(), numeric, analytic)
                        .isLessThan(2e-3 + 2e-2 * Math.abs(analytic));
            }
        }
    }

    private static double lossAt(TrainableWeights w, TokenLoss loss, Parameter p, float[] dir, double eps, boolean recompute) {
        float[] saved = p.value().clone();
        for (int i = 0; i < dir.length; i++) p.value()[i] += (float) (eps * dir[i]);
        double l = Backprop.run(w, loss, recompute).loss();
        System.arraycopy(saved, 0, p.value(), 0, saved.length);
        return l;
    }
}
