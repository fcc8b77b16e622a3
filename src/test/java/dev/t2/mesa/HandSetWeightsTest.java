package dev.t2.mesa;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hand-written weights make the models compute GD and least squares exactly; Sherman–Morrison agrees with a direct solve. */
class HandSetWeightsTest {
    private static final Sequences DATA = LinearDynamics.PAPER.sample(64, -21);

    @Test
    void linearAttentionWithGdWeightsTakesOneGradientStep() {
        double lr = 0.0317;
        double diff = MesaReport.maxDifference(HandSetWeights.oneGradientStep(10, lr), DATA, b -> {
            double[] g = GradientDescentBaseline.direction(DATA, b);
            for (int i = 0; i < g.length; i++) g[i] *= lr;
            return g;
        });
        assertThat(diff).isLessThan(1e-6);
        AttentionModel m = HandSetWeights.oneGradientStep(10, lr);
        assertThat(m.loss(DATA, Workers.INLINE)).isCloseTo(GradientDescentBaseline.loss(DATA, lr), org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void gdWeightsReadAsIdentityBlocksWithTheirLearningRate() {
        WeightStructure w = WeightStructure.of(HandSetWeights.oneGradientStep(10, 0.03));
        assertThat(w.learningRate()).isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(w.keyQueryOffIdentity()).isLessThan(1e-7);
        assertThat(w.valueOffIdentity()).isLessThan(1e-7);
        assertThat(w.keyQueryOutsideShare()).isZero();
        assertThat(w.valueOutsideShare()).isZero();
    }

    @Test
    void weightsThatCancelBetweenTheTwoCopiesOfTheStateDoNotCountAsStructure() {
        AttentionModel m = HandSetWeights.oneGradientStep(10, 0.03);
        AttentionLayer l = m.layers().get(0);
        // a key reading +x from one copy of s_i and −x from the other adds nothing to any score
        for (int j = 0; j < 10; j++) {
            l.key().value()[j * 40 + 10 + (j + 3) % 10] = 0.7f;
            l.key().value()[j * 40 + 20 + (j + 3) % 10] = -0.7f;
        }
        Sequences data = LinearDynamics.PAPER.sample(4, 1);
        assertThat(m.loss(data, Workers.INLINE)).isCloseTo(GradientDescentBaseline.loss(data, 0.03), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(WeightStructure.of(m).keyQueryOutsideShare()).isLessThan(1e-7);
        // while a key reading s_i itself is structure outside the GD block
        for (int j = 0; j < 10; j++) l.key().value()[j * 40 + 20 + (j + 3) % 10] = 0;
        assertThat(WeightStructure.of(m).keyQueryOutsideShare()).isGreaterThan(0.3);
    }

    @Test
    void mesaLayerWithLeastSquaresWeightsSolvesRidgeRegressionInContext() {
        for (double lambda : new double[] {0.3, 1, 10}) {
            double diff = MesaReport.maxDifference(HandSetWeights.leastSquares(10, lambda), DATA, b -> LeastSquaresBaseline.predictions(DATA, b, lambda));
            assertThat(diff).as("λ = %s", lambda).isLessThan(1e-3);
        }
    }

    @Test
    void shermanMorrisonMatchesADirectInverse() {
        var check = ShermanMorrisonCheck.measure(DATA, 1);
        assertThat(check.maxRelativeErrorDouble()).isLessThan(1e-12);
        assertThat(check.maxRelativeErrorFloat()).isLessThan(1e-4).isGreaterThan(check.maxRelativeErrorDouble());
    }
}
