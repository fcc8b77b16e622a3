package dev.t2.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Single ops of the backward pass in isolation, so a broken one is named directly (the whole model is checked elsewhere). */
class OpGradientTest {

    @Test
    void rmsNormBackwardMatchesFiniteDifferencesForInputAndWeight() {
        Random rnd = new Random(1);
        int rows = 3, d = 7;
        float[] x = gaussian(rnd, rows * d), dy = gaussian(rnd, rows * d);
        Parameter w = new Parameter("w", gaussian(rnd, d), d);
        float eps = 1e-5f;
        float[] inv = new float[rows];
        Backprop.rmsNorm(x, rows, d, w.value(), eps, inv);
        float[] dx = Backprop.rmsNormBackward(x, inv, w, dy, rows, d);
        // L = Σ dy ⊙ rmsnorm(x)
        java.util.function.Supplier<Double> loss = () -> {
            float[] y = Backprop.rmsNorm(x, rows, d, w.value(), eps, new float[rows]);
            double l = 0;
            for (int i = 0; i < y.length; i++) l += (double) dy[i] * y[i];
            return l;
        };
        double h = 1e-3;
        for (int i = 0; i < x.length; i++) {
            float saved = x[i];
            x[i] = (float) (saved + h);
            double plus = loss.get();
            x[i] = (float) (saved - h);
            double minus = loss.get();
            x[i] = saved;
            assertThat(dx[i]).as("dx[%d]", i).isCloseTo((float) ((plus - minus) / (2 * h)), Offset.offset(2e-3f));
        }
        for (int i = 0; i < d; i++) {
            float saved = w.value()[i];
            w.value()[i] = (float) (saved + h);
            double plus = loss.get();
            w.value()[i] = (float) (saved - h);
            double minus = loss.get();
            w.value()[i] = saved;
            assertThat(w.grad()[i]).as("dw[%d]", i).isCloseTo((float) ((plus - minus) / (2 * h)), Offset.offset(2e-3f));
        }
    }

    @Test
    void ropeBackIsTheTransposeOfRopeInBothLayouts() {
        for (boolean interleaved : new boolean[] {false, true}) {
            ModelConfig c = new ModelConfig("LlamaForCausalLM", 16, 24, 1, 2, 1, 8, 32, 64, 1e-5f, 10000, RopeScaling.NONE,
                    interleaved, true, false, 0, 1, List.of(2));
            Rope rope = new Rope(c);
            float[][] tables = rope.tables(new int[] {0, 5, 17});
            Random rnd = new Random(2);
            float[] x = gaussian(rnd, 3 * 16), y = gaussian(rnd, 3 * 16);
            float[] rx = x.clone(), rty = y.clone();
            for (int r = 0; r < 3; r++) {
                rope.rotate(rx, r, 2, tables);
                rope.rotateBack(rty, r, 2, tables);
            }
            assertThat(dot(rx, y)).as("<Rx, y> = <x, Rᵀy>, interleaved=%s", interleaved).isCloseTo(dot(x, rty), Offset.offset(1e-4));
            float[] back = rx.clone();
            for (int r = 0; r < 3; r++) rope.rotateBack(back, r, 2, tables);
            for (int i = 0; i < x.length; i++) assertThat(back[i]).isCloseTo(x[i], Offset.offset(1e-5f)); // a rotation: Rᵀ = R⁻¹
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }
}
