package dev.t2.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The training attention's forward and backward against a double-precision scalar reference (softmax over each row's
 * visible keys, its analytic gradient), with sequences shorter and longer than a vector, grouped-query heads, a head
 * size that is not a multiple of 4 and sliding windows that start inside a later vector.
 */
class PackedAttentionTest {

    @ParameterizedTest(name = "heads {0}/{1}, head dim {2}, window {3}")
    @CsvSource({"4, 2, 8, 0", "3, 1, 6, 0", "4, 4, 8, 20", "2, 1, 10, 7"})
    void forwardAndBackwardMatchTheScalarReference(int heads, int kvHeads, int hd, int window) {
        PackedAttention.Heads shape = new PackedAttention.Heads(heads, kvHeads, hd, window);
        int[] lengths = {1, 45, 16, 3, 33};
        List<int[]> seqs = new ArrayList<>();
        for (int n : lengths) seqs.add(new int[n]);
        Backprop.Packing pack = Backprop.Packing.of(seqs);
        int rows = pack.rows(), qd = heads * hd, kvd = kvHeads * hd;
        Random rnd = new Random(heads * 31 + window);
        float[] q = gaussian(rows * qd, rnd, 1.5), k = gaussian(rows * kvd, rnd, 1.5), v = gaussian(rows * kvd, rnd, 1), dAtt = gaussian(rows * qd, rnd, 1);
        float[] attended = new float[rows * qd], lse = new float[rows * heads];
        PackedAttention.forward(shape, pack.start(), pack.length(), q, k, v, attended, lse);
        float[] dq = new float[rows * qd], dk = new float[rows * kvd], dv = new float[rows * kvd];
        PackedAttention.backward(shape, pack.start(), pack.length(), q, k, v, attended, lse, dAtt, dq, dk, dv);

        double[] refAtt = new double[rows * qd], refDq = new double[rows * qd], refDk = new double[rows * kvd], refDv = new double[rows * kvd];
        double scale = 1 / Math.sqrt(hd);
        for (int s = 0; s < lengths.length; s++) {
            int start = pack.start()[s];
            for (int h = 0; h < heads; h++) {
                int ko = (h / (heads / kvHeads)) * hd;
                for (int i = 0; i < lengths[s]; i++) {
                    int first = window > 0 ? Math.max(0, i - window + 1) : 0, qo = (start + i) * qd + h * hd;
                    double[] p = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = first; j <= i; j++) {
                        double dot = 0;
                        for (int e = 0; e < hd; e++) dot += q[qo + e] * (double) k[(start + j) * kvd + ko + e];
                        p[j] = dot * scale;
                        max = Math.max(max, p[j]);
                    }
                    for (int j = first; j <= i; j++) sum += p[j] = Math.exp(p[j] - max);
                    for (int j = first; j <= i; j++) p[j] /= sum;
                    assertThat((double) lse[(start + i) * heads + h]).isCloseTo(max + Math.log(sum), org.assertj.core.data.Offset.offset(1e-4));
                    double[] dp = new double[i + 1];
                    double delta = 0;
                    for (int j = first; j <= i; j++) {
                        for (int e = 0; e < hd; e++) {
                            refAtt[qo + e] += p[j] * v[(start + j) * kvd + ko + e];
                            dp[j] += dAtt[qo + e] * (double) v[(start + j) * kvd + ko + e];
                        }
                        delta += p[j] * dp[j];
                    }
                    for (int j = first; j <= i; j++) {
                        double ds = p[j] * (dp[j] - delta) * scale;
                        for (int e = 0; e < hd; e++) {
                            int kr = (start + j) * kvd + ko + e;
                            refDv[kr] += p[j] * dAtt[qo + e];
                            refDq[qo + e] += ds * k[kr];
                            refDk[kr] += ds * q[qo + e];
                        }
                    }
                }
            }
        }
        assertClose("attended", attended, refAtt);
        assertClose("dq", dq, refDq);
        assertClose("dk", dk, refDk);
        assertClose("dv", dv, refDv);
    }

    private static void assertClose(String name, float[] actual, double[] expected) {
        double scale = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        assertThat(scale).as(name + " is not all zero").isGreaterThan(0.1);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("%s[%d]", name, i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(2e-5 * scale + 1e-6));
        }
    }

    private static float[] gaussian(int n, Random rnd, double sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextGaussian() * sd);
        return x;
    }
}
