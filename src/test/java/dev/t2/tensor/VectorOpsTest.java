package dev.t2.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Each vectorized helper against its scalar reference in {@link ScalarKernels}, at odd lengths and offsets. */
class VectorOpsTest {

    static final int[] SIZES = {1, 7, 16, 31, 33, 100, 1000};
    static final int OFF = 3;

    @Test
    void dotMatchesScalarWithinRoundingOfTheAbsoluteSum() {
        Random rnd = new Random(1);
        for (int n : SIZES) {
            float[] a = data(n, rnd), b = data(n, rnd);
            double mag = 0;
            for (int j = 0; j < n; j++) mag += Math.abs(a[OFF + j] * b[j]);
            assertThat((double) VectorOps.dot(a, OFF, b, 0, n)).as("n=%d", n)
                    .isCloseTo(ScalarKernels.dot(a, OFF, b, 0, n), Offset.offset(1e-6 * mag));
        }
    }

    @Test
    void elementwiseOpsMatchScalar() {
        Random rnd = new Random(2);
        for (int n : SIZES) {
            float[] x = data(n, rnd), y = data(n, rnd);
            // axpy uses FMA, the reference rounds once from double: both are within one rounding of the exact value.
            float[] fast = y.clone(), ref = y.clone();
            VectorOps.axpy(0.37f, x, OFF, fast, OFF, n);
            ScalarKernels.axpy(0.37f, x, OFF, ref, OFF, n);
            assertClose(fast, ref, 1e-6, "axpy n=" + n);

            fast = y.clone();
            ref = y.clone();
            VectorOps.add(x, OFF, fast, 0, n);
            ScalarKernels.add(x, OFF, ref, 0, n);
            assertThat(fast).as("add n=%d", n).containsExactly(ref);

            fast = y.clone();
            ref = y.clone();
            VectorOps.mul(x, 0, fast, OFF, n);
            ScalarKernels.mul(x, 0, ref, OFF, n);
            assertThat(fast).as("mul n=%d", n).containsExactly(ref);

            fast = x.clone();
            ref = x.clone();
            VectorOps.scale(-1.75f, fast, OFF, n);
            ScalarKernels.scale(-1.75f, ref, OFF, n);
            assertThat(fast).as("scale n=%d", n).containsExactly(ref);

            assertThat(VectorOps.max(x, OFF, n)).as("max n=%d", n).isEqualTo(scalarMax(x, OFF, n));

            fast = y.clone();
            VectorOps.softmaxBackward(x, fast, OFF, n, 0.3f, 0.5f);
            for (int j = 0; j < n; j++) {
                assertThat(fast[OFF + j]).as("softmaxBackward n=%d", n).isCloseTo(x[OFF + j] * (y[OFF + j] - 0.3f) * 0.5f, Offset.offset(1e-6f));
            }
            for (int j = 0; j < OFF; j++) assertThat(fast[j]).isEqualTo(y[j]);
        }
    }

    @Test
    void rmsNormMatchesScalarForEveryWeightDtype() {
        Random rnd = new Random(4);
        for (DType t : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            for (int n : SIZES) {
                float[] x = data(n, rnd);
                Tensor weight = Tensor.encode("norm", t, MatMulTest.gaussians(n, rnd), n);
                float[] fast = new float[n + OFF], ref = new float[n + OFF];
                VectorOps.rmsNorm(fast, OFF, x, OFF, weight, 1e-6f, n);
                ScalarKernels.rmsNorm(ref, OFF, x, OFF, weight, 1e-6f, n);
                assertClose(fast, ref, 1e-5, "rmsNorm " + t + " n=" + n);
            }
        }
    }

    private static float[] data(int n, Random rnd) {
        return MatMulTest.gaussians(n + OFF + 2, rnd);
    }

    private static float scalarMax(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) m = Math.max(m, x[off + j]);
        return m;
    }

    /** |fast - ref| ≤ rel · |ref| + 1e-30 elementwise. */
    private static void assertClose(float[] fast, float[] ref, double rel, String what) {
        for (int j = 0; j < ref.length; j++) {
            assertThat((double) fast[j]).as("%s [%d]", what, j).isCloseTo(ref[j], Offset.offset(rel * Math.abs(ref[j]) + 1e-30));
        }
    }
}
