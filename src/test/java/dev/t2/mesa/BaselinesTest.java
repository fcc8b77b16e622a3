package dev.t2.mesa;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The baselines against the reference numbers and against their own definitions. */
class BaselinesTest {
    private static final Sequences DATA = LinearDynamics.PAPER.sample(512, -11);

    @Test
    void oneGradientStepAtItsBestRate() {
        var gd = GradientDescentBaseline.best(DATA);
        assertThat(gd.learningRate()).isCloseTo(0.03, Offset.offset(0.005));
        assertThat(gd.loss()).isCloseTo(0.90, Offset.offset(0.04));
        assertThat(GradientDescentBaseline.loss(DATA, gd.learningRate())).isCloseTo(gd.loss(), Offset.offset(1e-9));
        // the closed form is the minimum: any other rate is worse
        assertThat(GradientDescentBaseline.loss(DATA, gd.learningRate() * 1.1)).isGreaterThan(gd.loss());
        assertThat(GradientDescentBaseline.loss(DATA, gd.learningRate() * 0.9)).isGreaterThan(gd.loss());
    }

    @Test
    void gradientStepDirectionIsTheSumOverPairsSeenSoFar() {
        double[] g = GradientDescentBaseline.direction(DATA, 3);
        // t = 0 has no pair yet; t = 1 has the single pair (s_0, s_1)
        for (int j = 0; j < 10; j++) assertThat(g[j]).isZero();
        double dot = 0;
        for (int j = 0; j < 10; j++) dot += (double) DATA.state(3, 0, j) * DATA.state(3, 1, j);
        for (int j = 0; j < 10; j++) assertThat(g[10 + j]).isCloseTo(dot * DATA.state(3, 1, j), Offset.offset(1e-12));
    }

    @Test
    void leastSquaresNearlySolvesTheTaskOnceItHasSeenEnoughPairs() {
        Sequences few = LinearDynamics.PAPER.sample(128, -11);
        double large = LeastSquaresBaseline.loss(few, 1000), small = LeastSquaresBaseline.loss(few, 0.1);
        assertThat(large).isCloseTo(0.185, Offset.offset(0.03));
        assertThat(small).as("a strong regulariser shrinks the solution toward zero").isGreaterThan(large + 0.2);
        double[] p = LeastSquaresBaseline.predictions(DATA, 0, 1000);
        double late = 0;
        for (int j = 0; j < 10; j++) late += Math.pow(p[49 * 10 + j] - DATA.state(0, 50, j), 2);
        assertThat(Math.sqrt(late)).isLessThan(0.1); // ~σ·√10 after 49 pairs
    }
}
