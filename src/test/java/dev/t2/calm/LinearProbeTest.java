package dev.t2.calm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The probe reads a label that is linearly encoded, and cannot read one that is not. */
class LinearProbeTest {
    @Test
    void readsALinearlyEncodedLabelOnUnseenStatesAndNotARandomOne() {
        Random rnd = new Random(1);
        int d = 12, n = 600;
        float[][] directions = new float[10][d];
        for (float[] dir : directions) for (int i = 0; i < d; i++) dir[i] = (float) rnd.nextGaussian();
        float[] states = new float[n * d];
        int[] labels = new int[n], shuffled = new int[n];
        for (int r = 0; r < n; r++) {
            labels[r] = rnd.nextInt(10);
            shuffled[r] = rnd.nextInt(10);
            for (int i = 0; i < d; i++) states[r * d + i] = directions[labels[r]][i] + 0.3f * (float) rnd.nextGaussian();
        }
        int half = n / 2;
        float[] fitStates = java.util.Arrays.copyOf(states, half * d), testStates = java.util.Arrays.copyOfRange(states, half * d, n * d);
        int[] fitLabels = java.util.Arrays.copyOf(labels, half), testLabels = java.util.Arrays.copyOfRange(labels, half, n);
        LinearProbe probe = LinearProbe.fit(fitStates, fitLabels, d, 10, 1e-3);
        assertThat(probe.accuracy(testStates, testLabels)).isGreaterThan(0.95);
        LinearProbe noise = LinearProbe.fit(fitStates, java.util.Arrays.copyOf(shuffled, half), d, 10, 1e-3);
        assertThat(noise.accuracy(testStates, java.util.Arrays.copyOfRange(shuffled, half, n))).isLessThan(0.25);
    }
}
