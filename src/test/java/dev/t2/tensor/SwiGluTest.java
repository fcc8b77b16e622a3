package dev.t2.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The vectorized gated activation and its backward against the scalar formulas in double precision, tails included. */
class SwiGluTest {

    @Test
    void forwardAndBackwardMatchTheScalarFormulas() {
        Random rnd = new Random(5);
        for (int n : new int[] {1, 15, 16, 47, 1000}) {
            float[] gate = new float[n], up = new float[n], dAct = new float[n];
            for (int i = 0; i < n; i++) {
                gate[i] = (float) (rnd.nextGaussian() * 6);
                up[i] = (float) rnd.nextGaussian();
                dAct[i] = (float) rnd.nextGaussian();
            }
            if (n > 2) { gate[0] = -120f; gate[1] = 120f; } // past exp's range on both sides
            float[] act = new float[n], dGate = new float[n], dUp = new float[n];
            SwiGlu.forward(gate, up, act, n);
            SwiGlu.backward(gate, up, dAct, dGate, dUp, n);
            for (int i = 0; i < n; i++) {
                double g = gate[i], sig = 1 / (1 + Math.exp(-g));
                assertThat((double) act[i]).as("act n=%d i=%d", n, i).isCloseTo(g * sig * up[i], Offset.offset(1e-5 * (1 + Math.abs(g * up[i]))));
                assertThat((double) dUp[i]).as("dUp").isCloseTo(dAct[i] * g * sig, Offset.offset(1e-5 * (1 + Math.abs(g * dAct[i]))));
                double dGateRef = dAct[i] * up[i] * sig * (1 + g * (1 - sig));
                assertThat((double) dGate[i]).as("dGate n=%d i=%d", n, i).isCloseTo(dGateRef, Offset.offset(1e-5 * (1 + Math.abs(g * dAct[i] * up[i]))));
            }
        }
    }
}
