package dev.t2.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks a token from logits with a seeded random source, so a run is reproducible from its seed. */
public final class Sampler {
    private final SamplerConfig config;
    private final SplittableRandom random;

    public Sampler(SamplerConfig config, long seed) {
        this.config = config;
        this.random = new SplittableRandom(seed);
    }

    public int sample(float[] logits, int offset, int vocab) {
        if (config.greedy()) return argmax(logits, offset, vocab);
        float[] probs = probabilities(logits, offset, vocab, config);
        double u = random.nextDouble(), acc = 0;
        int last = -1;
        for (int i = 0; i < vocab; i++) {
            if (probs[i] == 0) continue;
            acc += probs[i];
            last = i;
            if (u < acc) return i;
        }
        return last; // rounding left u beyond the total: the last kept token
    }

    public static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        float max = logits[offset];
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > max) {
                max = logits[offset + i];
                best = i;
            }
        }
        return best;
    }

    /** The distribution sampling draws from after temperature, top-k, top-p and min-p (normalised). */
    static float[] probabilities(float[] logits, int offset, int vocab, SamplerConfig c) {
        float[] p = new float[vocab];
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, logits[offset + i]);
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            p[i] = (float) Math.exp((logits[offset + i] - max) / c.temperature());
            sum += p[i];
        }
        for (int i = 0; i < vocab; i++) p[i] /= (float) sum;
        boolean filter = c.topK() > 0 && c.topK() < vocab || c.topP() < 1 || c.minP() > 0;
        if (!filter) return p;
        // only tokens that can survive the filters are sorted (top-p can never keep p < (1 - topP) / (vocab - 1))
        float cut = c.topP() < 1 ? (1 - c.topP()) / (vocab - 1) : 0;
        float top = 0;
        for (float x : p) top = Math.max(top, x);
        cut = Math.max(cut, c.minP() * top);
        long[] order = new long[vocab];
        int candidates = 0;
        for (int i = 0; i < vocab; i++) {
            // descending probability then ascending id: positive float bits order like the floats
            if (p[i] >= cut) order[candidates++] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(p[i])) << 32) | i;
        }
        Arrays.sort(order, 0, candidates);
        int keep = c.topK() > 0 ? Math.min(c.topK(), candidates) : candidates;
        double cumulative = 0;
        int kept = 0;
        for (int rank = 0; rank < keep; rank++) {
            kept++;
            cumulative += p[(int) order[rank]];
            if (cumulative >= c.topP()) break;
        }
        float[] out = new float[vocab];
        double keptSum = 0;
        for (int rank = 0; rank < kept; rank++) keptSum += p[(int) order[rank]];
        for (int rank = 0; rank < kept; rank++) out[(int) order[rank]] = (float) (p[(int) order[rank]] / keptSum);
        return out;
    }
}
