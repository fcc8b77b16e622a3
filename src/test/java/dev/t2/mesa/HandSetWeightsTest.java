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
        assertThat(w.otherKeyQueryShare()).isZero();
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
