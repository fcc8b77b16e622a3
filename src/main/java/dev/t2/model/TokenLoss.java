package dev.t2.model;

import java.util.List;

/**
 * What training minimises over a batch of token sequences: −Σ_s Σ_i weights[s][i] · log p(seq[s][i+1] | seq[s][≤i])
 * + Σ_s Σ_i kl[s][i] · KL(π_ref ‖ πθ) at position i over the whole vocabulary (π_ref: the base model).
 * Next-token cross-entropy puts 1/N on every target position; REINFORCE puts reward/B on completion positions
 * and β/B as KL weight; positions with both weights 0 (prompts) cost nothing, not even their logits.
 *
 * @param klWeights per-position KL weights, or null for no KL term
 */
public record TokenLoss(List<int[]> sequences, List<float[]> weights, List<float[]> klWeights) {
    public TokenLoss(List<int[]> sequences, List<float[]> weights) {
        this(sequences, weights, null);
    }

    public TokenLoss {
        sequences = List.copyOf(sequences);
        weights = List.copyOf(weights);
        if (klWeights != null) {
            klWeights = List.copyOf(klWeights);
            for (int s = 0; s < sequences.size(); s++) {
                if (klWeights.get(s).length != sequences.get(s).length) throw new IllegalArgumentException("sequence " + s + ": KL weights do not match its length");
            }
        }
        if (sequences.size() != weights.size()) throw new IllegalArgumentException(sequences.size() + " sequences but " + weights.size() + " weight rows");
        for (int s = 0; s < sequences.size(); s++) {
            if (sequences.get(s).length == 0) throw new IllegalArgumentException("sequence " + s + " is empty");
            if (weights.get(s).length != sequences.get(s).length) {
                throw new IllegalArgumentException("sequence " + s + " has " + sequences.get(s).length + " tokens but " + weights.get(s).length + " weights");
            }
            if (weights.get(s)[sequences.get(s).length - 1] != 0) {
                throw new IllegalArgumentException("sequence " + s + ": the last position has no next token to predict; its weight must be 0");
            }
        }
    }

    /** Mean next-token cross-entropy over every position of every sequence. */
    public static TokenLoss nextToken(List<int[]> sequences) {
        long n = 0;
        for (int[] s : sequences) n += s.length - 1;
        float w = n == 0 ? 0 : 1f / n;
        return new TokenLoss(sequences, sequences.stream().map(s -> {
            float[] ws = new float[s.length];
            java.util.Arrays.fill(ws, 0, s.length - 1, w);
            return ws;
        }).toList());
    }

    /** The tokens of all sequences: the rows of one forward pass over them. */
    public int rows() {
        int rows = 0;
        for (int[] s : sequences) rows += s.length;
        return rows;
    }

    public boolean hasKl() {
        return klWeights != null;
    }

    /** This loss plus β·KL(π_ref ‖ πθ) on every position that predicts a completion token. */
    public TokenLoss withKlOnCompletions(int[] promptLengths, float beta) {
        List<float[]> kl = new java.util.ArrayList<>();
        for (int s = 0; s < sequences.size(); s++) {
            float[] w = new float[sequences.get(s).length];
            for (int i = Math.max(0, promptLengths[s] - 1); i < w.length - 1; i++) w[i] = beta;
            kl.add(w);
        }
        return new TokenLoss(sequences, weights, kl);
    }

    /** −Σ scale[s] · log π(completion of s): completion tokens are those at index ≥ promptLengths[s]. */
    public static TokenLoss completions(List<int[]> sequences, int[] promptLengths, float[] scale) {
        List<float[]> ws = new java.util.ArrayList<>();
        for (int s = 0; s < sequences.size(); s++) {
            float[] w = new float[sequences.get(s).length];
            for (int i = Math.max(0, promptLengths[s] - 1); i < w.length - 1; i++) w[i] = scale[s];
            ws.add(w);
        }
        return new TokenLoss(sequences, ws);
    }
}
