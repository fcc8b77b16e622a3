package dev.t2.mesa;

import java.util.Arrays;
import java.util.List;

/**
 * Weights written by hand on the constructed tokens e_t = (0, s_t, s_t, s_{t−1}): keys read s_{i−1}, values s_i,
 * queries s_t, the output writes into the prediction block. With linear attention that is one gradient-descent step
 * (learning rate in the output weights); with the mesa layer it is regularised least squares.
 */
public final class HandSetWeights {
    private HandSetWeights() {}

    /** A 1-layer linear-attention model whose prediction is η·Σ_{i≤t} s_i (s_{i−1}·s_t). */
    public static AttentionModel oneGradientStep(int dim, double learningRate) {
        return build("gd-weights", AttentionKind.LINEAR, dim, (float) learningRate, 1);
    }

    /** A 1-layer mesa model whose prediction is the ridge solution Φ_t s_t with regulariser 1/λ. */
    public static AttentionModel leastSquares(int dim, double lambda) {
        return build("ls-weights", AttentionKind.MESA, dim, 1f, lambda);
    }

    private static AttentionModel build(String name, AttentionKind kind, int dim, float outputScale, double lambda) {
        AttentionModel m = new AttentionModel(new ModelSpec(name, TokenLayout.CONSTRUCTED, List.of(kind), 1, dim, 1f), dim, 0);
        AttentionLayer l = m.layers().get(0);
        int width = m.width();
        for (var p : List.of(l.query(), l.key(), l.value(), l.output())) Arrays.fill(p.value(), 0f);
        for (int j = 0; j < dim; j++) {
            l.query().value()[j * width + 2 * dim + j] = 1; // q = s_t (the query copy)
            l.key().value()[j * width + 3 * dim + j] = 1; // k = s_{t−1}
            l.value().value()[j * width + dim + j] = 1; // v = s_t (the target of the pair (s_{t−1}, s_t))
            l.output().value()[j * dim + j] = outputScale; // into the prediction block
        }
        if (kind == AttentionKind.MESA) l.logLambda().value()[0] = (float) Math.log(lambda);
        return m;
    }
}
