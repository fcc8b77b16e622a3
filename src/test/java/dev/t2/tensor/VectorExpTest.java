package dev.t2.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The vector e^x against {@link Math#exp} over the whole float range that attention's softmax feeds it. */
class VectorExpTest {

    @Test
    void withinTwoUlpOfMathExpFromUnderflowToEightyEight() {
        int n = 200_000, l = Species.L;
        float[] x = new float[n], e = new float[n];
        for (int i = 0; i < n; i++) x[i] = -87.3f + 175.3f * i / (n - 1);
        for (int i = 0; i < n; i += l) VectorExp.exp(FloatVector.fromArray(Species.F, x, i)).intoArray(e, i);
        for (int i = 0; i < n; i++) {
            float expected = (float) Math.exp(x[i]);
            assertThat(Math.abs(e[i] - expected)).as("x=%s", x[i]).isLessThanOrEqualTo(2 * Math.ulp(expected));
        }
    }

    @Test
    void underflowAndMinusInfinityGiveZeroAndZeroGivesOne() {
        float[] x = new float[Species.L];
        java.util.Arrays.fill(x, Float.NEGATIVE_INFINITY);
        x[0] = 0f;
        if (x.length > 1) x[1] = -100f;
        float[] e = new float[x.length];
        VectorExp.exp(FloatVector.fromArray(Species.F, x, 0)).intoArray(e, 0);
        assertThat(e[0]).isEqualTo(1f);
        for (int i = 1; i < e.length; i++) assertThat(e[i]).isZero();
    }

    @Test
    void expShiftedReturnsTheSumOfWhatItWrites() {
        int n = 3 * Species.L;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (i % 7) - 3.5f;
        float sum = VectorExp.expShifted(x, 0, n, 1.5f);
        double expected = 0;
        for (int i = 0; i < n; i++) {
            assertThat(x[i]).isCloseTo((float) Math.exp((i % 7) - 5f), org.assertj.core.data.Percentage.withPercentage(1e-4));
            expected += x[i];
        }
        assertThat((double) sum).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5 * expected));
    }
}
