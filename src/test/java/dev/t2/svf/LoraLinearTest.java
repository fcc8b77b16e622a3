package dev.t2.svf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.model.Backprop;
import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.Parameter;
import dev.t2.model.RandomWeights;
import dev.t2.model.RopeScaling;
import dev.t2.model.TokenLoss;
import dev.t2.model.TrainableWeights;
import dev.t2.tensor.DType;
import dev.t2.testing.GradientCheck;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class LoraLinearTest {
    static final ModelConfig C = new ModelConfig("Qwen2ForCausalLM", 16, 24, 2, 4, 2, 4, 32, 64, 1e-5f, 10000, RopeScaling.NONE,
            false, true, true, 0, 1, List.of(2));

    @Test
    void startsAtTheBaseModelAndCountsRankTimesInPlusOut() {
        LlamaWeights base = RandomWeights.create(C, DType.BF16, 4, 0.3);
        Random rnd = new Random(1);
        TrainableWeights lora = TrainableWeights.frozen(C, base).withProjections((name, lin) ->
                name.endsWith("q_proj") || name.endsWith("v_proj") ? LoraLinear.initialise(name, lin, 2, 4, rnd) : lin);
        List<int[]> seqs = List.of(new int[] {1, 3, 5, 7, 2});
        double baseLoss = Backprop.run(TrainableWeights.frozen(C, base), TokenLoss.nextToken(seqs), false).loss();
        assertThat(Backprop.run(lora, TokenLoss.nextToken(seqs), false).loss()).isCloseTo(baseLoss, Offset.offset(1e-6));
        // q: 2·(16 + 16), v: 2·(16 + 8), two layers
        assertThat(lora.trainableCount()).isEqualTo(2L * (2 * (16 + 16) + 2 * (16 + 8)));
        assertThat(new LlamaModel(C, base).config()).isEqualTo(C);
    }

    @Test
    void gradientsOfBothFactorsMatchFiniteDifferences() {
        LlamaWeights base = RandomWeights.create(C, DType.F32, 4, 0.3);
        Random rnd = new Random(2);
        // with dropout: the mask is fixed within a step, so the loss is a smooth function finite differences can check
        TrainableWeights w = TrainableWeights.frozen(C, base).withProjections((name, lin) ->
                LoraLinear.initialise(name, lin, 3, 6, rnd).withDropout(0.3f, 11));
        for (Parameter p : w.trainable()) for (int i = 0; i < p.size(); i++) p.value()[i] += 0.3f * (float) rnd.nextGaussian();
        TokenLoss loss = TokenLoss.completions(List.of(new int[] {1, 5, 9, 3, 7, 2}, new int[] {1, 8, 8, 4}), new int[] {2, 1},
                new float[] {1f, -0.5f});
        w.zeroGrad();
        Backprop.run(w, loss, true);
        GradientCheck.directional("LoRA", w.trainable(), GradientCheck.snapshot(w.trainable()),
                () -> Backprop.run(w, loss, true).loss(), rnd, 1e-2, 1e-3, 2e-2);
    }

    @Test
    void dropoutMasksDependOnTheStepAndVanishAtInference() {
        LlamaWeights base = RandomWeights.create(C, DType.F32, 4, 0.3);
        Random rnd = new Random(3);
        java.util.List<LoraLinear> maps = new java.util.ArrayList<>();
        TrainableWeights w = TrainableWeights.frozen(C, base).withProjections((name, lin) -> {
            LoraLinear l = LoraLinear.initialise(name, lin, 2, 4, rnd).withDropout(0.5f, 1);
            for (int i = 0; i < l.b().size(); i++) l.b().value()[i] = (float) rnd.nextGaussian();
            maps.add(l);
            return l;
        });
        TokenLoss loss = TokenLoss.nextToken(List.of(new int[] {1, 5, 9, 3, 7, 2}));
        double step0 = Backprop.run(w, loss, false).loss(), again = Backprop.run(w, loss, false).loss();
        maps.forEach(l -> l.setStep(1));
        double step1 = Backprop.run(w, loss, false).loss();
        maps.forEach(l -> l.setTraining(false));
        double off = Backprop.run(w, loss, false).loss();
        assertThat(again).isEqualTo(step0);
        assertThat(step1).isNotEqualTo(step0);
        assertThat(off).isNotEqualTo(step1).isNotEqualTo(step0);
    }
}
