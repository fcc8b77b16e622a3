package dev.t2.mesa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class LinearDynamicsTest {
    @Test
    void predictingZeroScoresAboutTheIssuesLoss() {
        // E‖s‖²/2 = (10/3)/2 ≈ 1.67, plus the little noise accumulated over 50 steps
        assertThat(LinearDynamics.PAPER.sample(512, 3).zeroPredictionLoss()).isCloseTo(1.68, Offset.offset(0.03));
    }

    @Test
    void transitionsAreOrthogonalUpToTheNoise() {
        Sequences s = LinearDynamics.PAPER.sample(16, 4);
        for (int b = 0; b < s.batch(); b++) {
            for (int i = 0; i < s.dim(); i++) assertThat(Math.abs(s.state(b, 0, i))).isLessThanOrEqualTo(1f);
            for (int t = 0; t < s.length(); t++) {
                double now = 0, next = 0;
                for (int i = 0; i < s.dim(); i++) {
                    now += s.state(b, t, i) * s.state(b, t, i);
                    next += s.state(b, t + 1, i) * s.state(b, t + 1, i);
                }
                assertThat(Math.sqrt(next)).isCloseTo(Math.sqrt(now), Offset.offset(0.06)); // σ·√10 ≈ 0.03 per step
            }
        }
        LinearDynamics noiseless = new LinearDynamics(10, 50, 0);
        Sequences exact = noiseless.sample(4, 4);
        double first = 0, last = 0;
        for (int i = 0; i < 10; i++) {
            first += exact.state(2, 0, i) * exact.state(2, 0, i);
            last += exact.state(2, 50, i) * exact.state(2, 50, i);
        }
        assertThat(last).isCloseTo(first, Offset.offset(1e-4));
    }

    @Test
    void aBatchDependsOnlyOnItsSeed() {
        assertThat(LinearDynamics.PAPER.sample(8, 9).states()).containsExactly(LinearDynamics.PAPER.sample(8, 9).states());
        assertThat(LinearDynamics.PAPER.sample(8, 9).states()).isNotEqualTo(LinearDynamics.PAPER.sample(8, 10).states());
    }

    @Test
    void badParametersAreRefused() {
        assertThatThrownBy(() -> new LinearDynamics(0, 50, 0.01)).hasMessageContaining("dim");
        assertThatThrownBy(() -> new Sequences(2, 3, 4, new float[5])).hasMessageContaining("5 floats");
    }

    @Test
    void constructedTokensHoldTheCurrentAndPreviousState() {
        Sequences s = LinearDynamics.PAPER.sample(2, 5);
        float[] tokens = new float[50 * 40];
        TokenLayout.CONSTRUCTED.tokens(s, 1, tokens);
        for (int i = 0; i < 10; i++) {
            assertThat(tokens[7 * 40 + i]).isZero();
            assertThat(tokens[7 * 40 + 10 + i]).isEqualTo(s.state(1, 7, i));
            assertThat(tokens[7 * 40 + 20 + i]).isEqualTo(s.state(1, 7, i));
            assertThat(tokens[7 * 40 + 30 + i]).isEqualTo(s.state(1, 6, i));
            assertThat(tokens[30 + i]).isZero(); // no state before the first
        }
        float[] raw = new float[50 * 50];
        TokenLayout.RAW.tokens(s, 1, raw);
        assertThat(raw[7 * 50 + 10]).isEqualTo(s.state(1, 7, 0));
        assertThat(raw[7 * 50 + 20]).isZero();
        assertThat(raw[7 * 50 + 30]).isZero();
        // position code: cos and sin of 2π·7/period; unit length per frequency
        assertThat(raw[7 * 50 + 40]).isCloseTo((float) Math.cos(2 * Math.PI * 7 / 100), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(raw[7 * 50 + 49]).isCloseTo((float) Math.sin(2 * Math.PI * 7 / 6.25), org.assertj.core.data.Offset.offset(1e-6f));
    }
}
