package dev.t2.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SamplerTest {
    // softmax of these logits at T=1: ≈ [0.0086, 0.0233, 0.0634, 0.1722, 0.4681, 0.1722, 0.0634, 0.0233, 0.0086]
    static final float[] LOGITS = {0, 1, 2, 3, 4, 3, 2, 1, 0};

    @Test
    void greedyPicksTheFirstMaximum() {
        assertThat(new Sampler(SamplerConfig.GREEDY, 1).sample(new float[] {1, 5, 5, 2}, 0, 4)).isEqualTo(1);
        assertThat(Sampler.argmax(new float[] {9, 1, 5, 7, 2}, 1, 4)).isEqualTo(2);
    }

    @Test
    void temperatureOneDrawsFromTheSoftmax() {
        double[] expected = softmax(LOGITS, 1);
        int[] counts = new int[LOGITS.length];
        Sampler s = new Sampler(new SamplerConfig(1, 0, 1, 0), 42);
        int n = 200_000;
        for (int i = 0; i < n; i++) counts[s.sample(LOGITS, 0, LOGITS.length)]++;
        for (int i = 0; i < counts.length; i++) {
            double sd = Math.sqrt(expected[i] * (1 - expected[i]) / n);
            assertThat(counts[i] / (double) n).as("token %d", i).isCloseTo(expected[i], Offset.offset(5 * sd));
        }
    }

    @Test
    void filtersKeepWhatTheirDefinitionsSay() {
        float[] p = Sampler.probabilities(LOGITS, 0, LOGITS.length, new SamplerConfig(1, 3, 1, 0));
        assertThat(nonZero(p)).containsExactly(3, 4, 5);
        assertThat(sum(p)).isCloseTo(1, Offset.offset(1e-6));
        // top-p 0.8: 0.468 + 0.172 + 0.172 = 0.812 ≥ 0.8 after three tokens
        p = Sampler.probabilities(LOGITS, 0, LOGITS.length, new SamplerConfig(1, 0, 0.8f, 0));
        assertThat(nonZero(p)).containsExactly(3, 4, 5);
        p = Sampler.probabilities(LOGITS, 0, LOGITS.length, new SamplerConfig(1, 0, 0.81f, 0));
        assertThat(nonZero(p)).containsExactly(3, 4, 5);
        p = Sampler.probabilities(LOGITS, 0, LOGITS.length, new SamplerConfig(1, 0, 0.82f, 0));
        assertThat(nonZero(p)).containsExactly(2, 3, 4, 5);
        // min-p 0.3: keep p ≥ 0.3 × 0.468 = 0.140
        p = Sampler.probabilities(LOGITS, 0, LOGITS.length, new SamplerConfig(1, 0, 1, 0.3f));
        assertThat(nonZero(p)).containsExactly(3, 4, 5);
        p = Sampler.probabilities(LOGITS, 0, LOGITS.length, new SamplerConfig(1, 0, 1, 0.4f));
        assertThat(nonZero(p)).containsExactly(4);
        // low temperature sharpens
        assertThat(Sampler.probabilities(LOGITS, 0, LOGITS.length, new SamplerConfig(0.1f, 0, 1, 0))[4]).isGreaterThan(0.99f);
    }

    @Test
    void sameSeedSameSamplesDifferentSeedDifferentSamples() {
        SamplerConfig c = new SamplerConfig(1, 0, 0.95f, 0);
        int[] a = draw(new Sampler(c, 7)), b = draw(new Sampler(c, 7)), other = draw(new Sampler(c, 8));
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(other);
    }

    @Test
    void invalidSettingsAreRejectedByName() {
        assertThatThrownBy(() -> new SamplerConfig(-1, 0, 1, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new SamplerConfig(1, 0, 0, 0)).hasMessageContaining("top-p");
        assertThatThrownBy(() -> new SamplerConfig(1, -2, 1, 0)).hasMessageContaining("top-k");
        assertThatThrownBy(() -> new SamplerConfig(1, 0, 1, 1)).hasMessageContaining("min-p");
    }

    private static int[] draw(Sampler s) {
        int[] out = new int[64];
        for (int i = 0; i < out.length; i++) out[i] = s.sample(LOGITS, 0, LOGITS.length);
        return out;
    }

    private static double[] softmax(float[] x, double t) {
        double[] p = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) sum += p[i] = Math.exp(x[i] / t);
        for (int i = 0; i < x.length; i++) p[i] /= sum;
        return p;
    }

    private static int[] nonZero(float[] p) {
        return java.util.stream.IntStream.range(0, p.length).filter(i -> p[i] > 0).toArray();
    }

    private static double sum(float[] p) {
        double s = 0;
        for (float v : p) s += v;
        return s;
    }
}
