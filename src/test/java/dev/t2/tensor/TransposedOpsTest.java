package dev.t2.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Each product with a transposed matrix against the scalar loop, for row counts with and without a remainder of 4. */
class TransposedOpsTest {

    @Test
    void eachProductMatchesTheScalarLoop() {
        Random rnd = new Random(9);
        int l = Species.L;
        for (int rows : new int[] {1, 4, 6, 32}) {
            int ld = 4 * l, from = l, to = 3 * l, xo = 2;
            float[] t = data(rows * ld, rnd), x = data(rows + xo, rnd), w = data(ld, rnd);
            float[] out = new float[ld];
            TransposedOps.vectorTimes(x, xo, t, ld, rows, 0.5f, out, from, to);
            for (int j = 0; j < ld; j++) {
                double ref = 0;
                for (int e = 0; e < rows; e++) ref += x[xo + e] * (double) t[e * ld + j];
                assertThat((double) out[j]).as("vectorTimes rows=%d j=%d", rows, j).isCloseTo(j >= from && j < to ? 0.5 * ref : 0, Offset.offset(1e-5 * rows));
            }
            float[] acc = data(rows + xo, rnd), before = acc.clone();
            TransposedOps.addTimesVector(t, ld, rows, w, from, to, 2f, acc, xo);
            for (int e = 0; e < rows; e++) {
                double ref = 0;
                for (int j = from; j < to; j++) ref += w[j] * (double) t[e * ld + j];
                assertThat((double) acc[xo + e]).as("addTimesVector rows=%d e=%d", rows, e).isCloseTo(before[xo + e] + 2 * ref, Offset.offset(1e-5 * ld));
            }
            float[] u = t.clone();
            TransposedOps.addOuter(x, xo, w, from, to, u, ld, rows);
            for (int e = 0; e < rows; e++) {
                for (int j = 0; j < ld; j++) {
                    double ref = t[e * ld + j] + (j >= from && j < to ? x[xo + e] * (double) w[j] : 0);
                    assertThat((double) u[e * ld + j]).as("addOuter").isCloseTo(ref, Offset.offset(1e-6));
                }
            }
        }
    }

    private static float[] data(int n, Random rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }
}
