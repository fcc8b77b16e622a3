package dev.t2.calm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.model.Backprop;
import dev.t2.model.LlamaModel;
import dev.t2.model.Parameter;
import dev.t2.model.TokenLoss;
import dev.t2.model.TrainableWeights;
import dev.t2.rl.Adam;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import dev.t2.testing.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The composed training graph: gradients of every composition parameter, the anchor at start, causality, frozen bases. */
class ComposedBackpropTest {
    static final List<int[]> SEQUENCES = List.of(new int[] {1, 5, 9, 3, 7, 7, 2}, new int[] {1, 30, 4}, new int[] {1, 11, 12, 13, 14});

    static TokenLoss completionLoss() {
        return TokenLoss.completions(SEQUENCES, new int[] {3, 1, 2}, new float[] {0.7f, -1f, 0.4f});
    }

    @ParameterizedTest(name = "recompute and positional cross-attention {0}")
    @ValueSource(booleans = {false, true})
    void everyCompositionParameterMatchesFiniteDifferences(boolean recompute) {
        TinyPair pair = TinyPair.create(DType.F32);
        Composition c = pair.trainedLooking(3, recompute);
        TrainableWeights anchor = TrainableWeights.frozen(pair.anchorConfig(), pair.anchorWeights());
        LlamaModel augment = pair.augment();
        for (TokenLoss loss : List.of(TokenLoss.nextToken(SEQUENCES), completionLoss())) {
            c.zeroGrad();
            ComposedBackprop.run(c, anchor, augment, loss, recompute);
            assertThat(c.parameters()).allSatisfy(p -> assertThat(norm(p.grad())).as(p.name()).isGreaterThan(0));
            GradientCheck.directional("composition", c.parameters(), GradientCheck.snapshot(c.parameters()),
                    () -> ComposedBackprop.run(c, anchor, augment, loss, recompute).loss(), new Random(4), 3e-3, 2e-3, 2e-2);
        }
    }

    @Test
    void microBatchesGiveTheSameLossAndGradients() {
        TinyPair pair = TinyPair.create(DType.F32);
        Composition c = pair.trainedLooking(3);
        TrainableWeights anchor = TrainableWeights.frozen(pair.anchorConfig(), pair.anchorWeights());
        c.zeroGrad();
        double whole = ComposedBackprop.run(c, anchor, pair.augment(), completionLoss(), false).loss();
        Map<Parameter, float[]> grads = GradientCheck.snapshot(c.parameters());
        c.zeroGrad();
        double split = ComposedBackprop.runInMicroBatches(c, anchor, pair.augment(), completionLoss(), 8).loss();
        assertThat(split).isCloseTo(whole, org.assertj.core.data.Offset.offset(1e-5));
        for (Parameter p : c.parameters()) {
            for (int i = 0; i < p.size(); i++) assertThat(p.grad()[i]).isCloseTo(grads.get(p)[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @Test
    void freshCompositionIsExactlyTheAnchor() {
        TinyPair pair = TinyPair.create(DType.BF16);
        TrainableWeights anchor = TrainableWeights.frozen(pair.anchorConfig(), pair.anchorWeights());
        Backprop.Result alone = Backprop.run(anchor, completionLoss(), false);
        Backprop.Result composed = ComposedBackprop.run(pair.composition(1), anchor, pair.augment(), completionLoss(), false);
        assertThat(composed.loss()).isEqualTo(alone.loss());
        assertThat(composed.sequenceLogProbs()).containsExactly(alone.sequenceLogProbs());
    }

    @Test
    void positionsBeforeAChangedTokenAreUntouched() {
        TinyPair pair = TinyPair.create(DType.F32);
        Composition c = pair.trainedLooking(3);
        TrainableWeights anchor = TrainableWeights.frozen(pair.anchorConfig(), pair.anchorWeights());
        int[] a = {1, 5, 9, 3, 7, 7, 2}, b = {1, 5, 9, 3, 7, 20, 21};
        float[] early = {1, 1, 1, 1, 0, 0, 0}; // targets up to position 4: the changed token at 5 is never a target
        double la = ComposedBackprop.run(c, anchor, pair.augment(), new TokenLoss(List.of(a), List.of(early)), false).loss();
        double lb = ComposedBackprop.run(c, anchor, pair.augment(), new TokenLoss(List.of(b), List.of(early)), false).loss();
        assertThat(lb).isEqualTo(la);
        float[] late = {0, 0, 0, 0, 0, 1, 0}; // and the composition does see it from position 5 on
        double ma = ComposedBackprop.run(c, anchor, pair.augment(), new TokenLoss(List.of(a), List.of(late)), false).loss();
        double mb = ComposedBackprop.run(c, anchor, pair.augment(), new TokenLoss(List.of(b), List.of(late)), false).loss();
        assertThat(mb).isNotEqualTo(ma);
    }

    @Test
    void trainingMovesOnlyTheCompositionAndLowersTheLoss() {
        TinyPair pair = TinyPair.create(DType.BF16);
        List<byte[]> before = bytes(pair);
        Composition c = pair.composition(2);
        TrainableWeights anchor = TrainableWeights.frozen(pair.anchorConfig(), pair.anchorWeights());
        Adam adam = Adam.defaults(c.parameters(), 1f);
        TokenLoss loss = TokenLoss.nextToken(SEQUENCES);
        double first = Double.NaN, last = Double.NaN;
        for (int step = 0; step < 8; step++) {
            c.zeroGrad();
            last = ComposedBackprop.run(c, anchor, pair.augment(), loss, true).loss();
            if (step == 0) first = last;
            adam.step(3e-2f);
        }
        assertThat(last).isLessThan(first);
        assertThat(norm(c.blocks().getFirst().output().weight().value())).isGreaterThan(0);
        List<byte[]> after = bytes(pair);
        for (int i = 0; i < before.size(); i++) assertThat(after.get(i)).isEqualTo(before.get(i));
    }

    @Test
    void parameterCountFollowsThePaperFormula() {
        TinyPair pair = TinyPair.create(DType.F32);
        assertThat(pair.composition(1).parameterCount()).isEqualTo(Composition.formulaCount(4, 24, 16)).isEqualTo(4L * (24 * 16 + 4 * 16 * 16));
    }

    @Test
    void uniformPairsReadEveryFourthAugmentLayerAndSpreadOverTheAnchor() {
        CompositionConfig c = CompositionConfig.uniform(8, 6, CompositionConfig.defaultPairCount(8, 6), 4);
        assertThat(c.pairs()).containsExactly(new LayerPair(3, 0), new LayerPair(7, 3));
        assertThat(CompositionConfig.defaultPairCount(3, 3)).isEqualTo(1);
        assertThat(CompositionConfig.uniform(3, 3, 1, 4).pairs()).containsExactly(new LayerPair(2, 0));
    }

    private static List<byte[]> bytes(TinyPair pair) {
        List<byte[]> out = new ArrayList<>();
        for (var w : List.of(pair.augmentWeights(), pair.anchorWeights())) {
            for (Tensor t : w.byName().values()) out.add(t.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
        return out;
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += x * x;
        return Math.sqrt(s);
    }
}
