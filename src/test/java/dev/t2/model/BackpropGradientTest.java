package dev.t2.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.tensor.DType;
import dev.t2.testing.GradientCheck;
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
            GradientCheck.directional(name + (completions ? ", completion loss" : ", next-token loss"), w.trainable(),
                    GradientCheck.snapshot(w.trainable()), () -> Backprop.run(w, loss, recompute).loss(), rnd, 1e-2, 2e-3, 2e-2);
        }
    }
}
