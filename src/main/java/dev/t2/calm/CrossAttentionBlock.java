package dev.t2.calm;

import dev.t2.model.DenseLinear;
import dev.t2.model.Parameter;
import java.util.List;
import java.util.Random;

/**
 * The trainable part of one layer pair (paper §3.1): f_proj [D_B, D_A] maps the augmenting model's states into the
 * anchor's width; W^Q, W^K, W^V [D_B, D_B] (N_H heads of D_B/N_H each) and W^O [D_B, D_B] form the cross-attention
 * whose output is added to the anchor's residual stream. No biases: n·(D_A·D_B + 4·D_B²) parameters in all.
 */
public record CrossAttentionBlock(LayerPair pair, int heads, DenseLinear projection, DenseLinear query, DenseLinear key, DenseLinear value,
                                  DenseLinear output) {

    /** Seeded N(0, 1/fan_in) for f_proj, W^Q, W^K, W^V; W^O zero, so the composed model starts as the anchor exactly. */
    static CrossAttentionBlock initialise(int index, LayerPair pair, int heads, int augmentWidth, int anchorWidth, Random rnd) {
        String p = prefix(index);
        return new CrossAttentionBlock(pair, heads, gaussian(p + "proj.weight", anchorWidth, augmentWidth, rnd),
                gaussian(p + "query.weight", anchorWidth, anchorWidth, rnd), gaussian(p + "key.weight", anchorWidth, anchorWidth, rnd),
                gaussian(p + "value.weight", anchorWidth, anchorWidth, rnd),
                new DenseLinear(new Parameter(p + "output.weight", new float[anchorWidth * anchorWidth], anchorWidth, anchorWidth), anchorWidth, anchorWidth));
    }

    /** The tensor-name prefix of pair {@code index} in a composition file. */
    static String prefix(int index) {
        return "calm.pairs." + index + ".";
    }

    private static DenseLinear gaussian(String name, int out, int in, Random rnd) {
        float[] w = new float[out * in];
        double std = 1 / Math.sqrt(in);
        for (int i = 0; i < w.length; i++) w[i] = (float) (rnd.nextGaussian() * std);
        return new DenseLinear(new Parameter(name, w, out, in), out, in);
    }

    public List<Parameter> parameters() {
        return List.of(projection.weight(), query.weight(), key.weight(), value.weight(), output.weight());
    }

    int anchorWidth() {
        return query.out();
    }
}
