package dev.t2.mesa;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinearProbeTest {
    @Test
    void theLeastSquaresPredictionIsDecodableAfterTheMesaLayerButNotFromTheTokens() {
        Sequences train = LinearDynamics.PAPER.sample(400, -31), test = LinearDynamics.PAPER.sample(200, -32);
        AttentionModel ls = HandSetWeights.leastSquares(10, 1);
        double[][] r2 = LinearProbe.r2(ls, train, test, LinearProbe.Target.NEXT_STATE);
        assertThat(r2).hasDimensions(2, 50);
        // the tokens hold s_t, and W is random per sequence: no fixed linear map recovers s_{t+1}
        assertThat(r2[0][49]).isLessThan(0.1);
        // after the layer, the prediction block holds the ridge solution: near-perfect once 10+ pairs are seen
        assertThat(r2[1][49]).isGreaterThan(0.95);
        assertThat(r2[1][2]).isLessThan(r2[1][49]);
    }

    @Test
    void aTargetThatIsInTheTokensIsDecodedExactly() {
        Sequences train = LinearDynamics.PAPER.sample(300, -33), test = LinearDynamics.PAPER.sample(100, -34);
        // at t = 0 the preconditioned input is λ·s_0 (no pair seen yet): a linear function of the token
        double[][] r2 = LinearProbe.r2(HandSetWeights.oneGradientStep(10, 0.03), train, test, LinearProbe.Target.PRECONDITIONED_INPUT);
        assertThat(r2[0][0]).isGreaterThan(0.9999);
    }

    @Test
    void onlyThePreconditionedInputDropsOutliersAndOnlyAFew() {
        Sequences train = LinearDynamics.PAPER.sample(400, -35);
        assertThat(LinearProbe.normLimits(train, LinearProbe.Target.NEXT_STATE)).containsOnly(Double.POSITIVE_INFINITY);
        double[] limit = LinearProbe.normLimits(train, LinearProbe.Target.PRECONDITIONED_INPUT);
        int dropped = 0, total = 0;
        for (int b = 0; b < train.batch(); b++) {
            double[] y = LinearProbe.targets(train, b, LinearProbe.Target.PRECONDITIONED_INPUT);
            for (int t = 0; t < train.length(); t++) {
                double n = 0;
                for (int c = 0; c < train.dim(); c++) n += y[t * train.dim() + c] * y[t * train.dim() + c];
                total++;
                if (Math.sqrt(n) > limit[t]) dropped++;
            }
        }
        // mean + 2 std leaves out the heavy tail of a few percent, not the bulk
        assertThat(dropped).isPositive();
        assertThat((double) dropped / total).isLessThan(0.1);
    }
}
