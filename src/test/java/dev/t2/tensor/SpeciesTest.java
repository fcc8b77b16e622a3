package dev.t2.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class SpeciesTest {
    /** Σ of x[from..from+L) in the pairwise order {@link Species#sum} promises: lane i += lane i+half, half = L/2, L/4, …, 1. */
    private static float pairwise(float[] x, int from, int lanes) {
        float[] s = java.util.Arrays.copyOfRange(x, from, from + lanes);
        for (int half = lanes / 2; half > 0; half >>= 1) for (int i = 0; i < half; i++) s[i] += s[i + half];
        return s[0];
    }

    private static float[] sums(float[] x, int vectors) {
        float[] out = new float[vectors];
        for (int v = 0; v < vectors; v++) out[v] = Species.sum(FloatVector.fromArray(Species.F, x, v * Species.L));
        return out;
    }

    @Test
    void laneSumsHaveOneOrderWhetherInterpretedOrCompiled() {
        int vectors = 2000;
        Random rnd = new Random(7);
        float[] x = new float[vectors * Species.L];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7)));
        float[] cold = sums(x, vectors); // first calls: interpreter or C1, which run the Vector API's Java code
        float[] warm = null;
        for (int round = 0; round < 300; round++) warm = sums(x, vectors); // 600,000 calls: C2 compiles it
        assertThat(warm).isEqualTo(cold);
        for (int v = 0; v < vectors; v++) assertThat(cold[v]).as("vector %d", v).isEqualTo(pairwise(x, v * Species.L, Species.L));
        // the order matters: this data's sequential sums differ from the pairwise ones, so the test above could fail
        int differ = 0;
        for (int v = 0; v < vectors; v++) {
            float sequential = 0;
            for (int i = 0; i < Species.L; i++) sequential += x[v * Species.L + i];
            if (sequential != cold[v]) differ++;
        }
        if (Species.L > 2) assertThat(differ).isGreaterThan(vectors / 10);
        // a vector of another shape than the kernels' takes the general path, in the same order
        for (int v = 0; v < 100; v++) {
            assertThat(Species.sum(FloatVector.fromArray(FloatVector.SPECIES_128, x, 4 * v))).isEqualTo(pairwise(x, 4 * v, 4));
        }
    }
}
