package dev.t2.rl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.model.Parameter;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class AdamTest {
    @Test
    void firstStepsFollowTheAdamRecurrence() {
        Parameter p = new Parameter("p", new float[] {1f, -2f}, 2);
        Adam adam = new Adam(List.of(p), 0.9f, 0.999f, 1e-8f, 0f, 0f);
        p.grad()[0] = 0.5f;
        p.grad()[1] = -4f;
        adam.step(0.1f);
        // bias-corrected first step moves every weight by lr·sign(grad)
        assertThat(p.value()[0]).isCloseTo(0.9f, Offset.offset(1e-6f));
        assertThat(p.value()[1]).isCloseTo(-1.9f, Offset.offset(1e-6f));
        p.grad()[0] = 0.5f;
        p.grad()[1] = 0f;
        adam.step(0.1f);
        // second step, weight 1: m = 0.095/0.19 = 0.5, v = (0.00025 + 0.00024975)/0.001999 → 0.25: step 0.1
        assertThat(p.value()[0]).isCloseTo(0.8f, Offset.offset(1e-5f));
        // weight 2: m̂ = (−0.36)/0.19, v̂ = 0.015984/0.001999: step = 0.1 · (−1.8947)/2.8277
        assertThat(p.value()[1]).isCloseTo(-1.9f + 0.1f * 1.8947f / 2.8277f, Offset.offset(1e-4f));
    }

    @Test
    void clippingScalesTheWholeGradientToTheNorm() {
        Parameter a = new Parameter("a", new float[2], 2), b = new Parameter("b", new float[1], 1);
        a.grad()[0] = 3;
        a.grad()[1] = 0;
        b.grad()[0] = 4;
        Adam adam = new Adam(List.of(a, b), 0.9f, 0.999f, 1e-8f, 0f, 1e-3f);
        assertThat(adam.step(1f)).isCloseTo(5.0, Offset.offset(1e-9));
        // Adam's first step is scale-free, so clipping shows only through the moments
        assertThat(adam.firstMoments().get(0)[0]).isCloseTo(0.1f * 3 * 1e-3f / 5, Offset.offset(1e-9f));
        assertThat(adam.firstMoments().get(1)[0]).isCloseTo(0.1f * 4 * 1e-3f / 5, Offset.offset(1e-9f));
    }
}
