package dev.t2.mesa;

/**
 * The weights of a trained 1-layer, 1-head linear-attention model on constructed tokens, read as the paper does:
 * W_KQ = W_kᵀW_q and W_PV = W_o W_v. The tokens carry s_t twice, so the two copies' rows (keys, values) and columns
 * (queries) are added first: what remains acts on the distinct inputs s_t and s_{t−1}. A GD step uses only keys
 * s_{i−1} against queries s_t, and values s_i into the prediction block; if those blocks are a·I and b·I the model
 * takes one GD step with learning rate a·b. The shares say how much of each product lies outside those blocks.
 */
public record WeightStructure(double keyQueryScale, double keyQueryOffIdentity, double valueScale, double valueOffIdentity,
                              double keyQueryOutsideShare, double valueOutsideShare) {
    /** Effective learning rate a·b. */
    public double learningRate() {
        return keyQueryScale * valueScale;
    }

    public static WeightStructure of(AttentionModel model) {
        if (model.layers().size() != 1 || model.layers().get(0).kind() != AttentionKind.LINEAR || model.spec().heads() != 1
                || model.spec().tokens() != TokenLayout.CONSTRUCTED) {
            throw new IllegalArgumentException(model.spec().name() + ": the weight analysis is for 1 linear layer with 1 head on constructed tokens");
        }
        AttentionLayer l = model.layers().get(0);
        int d = model.dim(), width = model.width(), inner = l.headDim();
        double[] kq = new double[width * width], pv = new double[width * width];
        for (int r = 0; r < width; r++) {
            for (int c = 0; c < width; c++) {
                double skq = 0, spv = 0;
                for (int a = 0; a < inner; a++) {
                    skq += (double) l.key().value()[a * width + r] * l.query().value()[a * width + c];
                    spv += (double) l.output().value()[r * inner + a] * l.value().value()[a * width + c];
                }
                kq[r * width + c] = skq;
                pv[r * width + c] = spv;
            }
        }
        // distinct inputs: 0 = s_t (token blocks 1 and 2 added), 1 = s_{t−1} (block 3)
        double[][][] kqEff = new double[2][2][d * d];
        double[][] pvEff = new double[2][d * d];
        int[][] blocks = {{1, 2}, {3}};
        for (int key = 0; key < 2; key++) {
            for (int query = 0; query < 2; query++) {
                for (int kb : blocks[key]) {
                    for (int qb : blocks[query]) {
                        for (int r = 0; r < d; r++) for (int c = 0; c < d; c++) kqEff[key][query][r * d + c] += kq[(kb * d + r) * width + qb * d + c];
                    }
                }
            }
            for (int vb : blocks[key]) for (int r = 0; r < d; r++) for (int c = 0; c < d; c++) pvEff[key][r * d + c] += pv[r * width + vb * d + c];
        }
        double[] gdKeyQuery = kqEff[1][0], gdValue = pvEff[0];
        double kqOther = sumSquares(kqEff[0][0]) + sumSquares(kqEff[0][1]) + sumSquares(kqEff[1][1]), pvOther = sumSquares(pvEff[1]);
        return new WeightStructure(scale(gdKeyQuery, d), offIdentity(gdKeyQuery, d), scale(gdValue, d), offIdentity(gdValue, d),
                Math.sqrt(kqOther / (kqOther + sumSquares(gdKeyQuery))), Math.sqrt(pvOther / (pvOther + sumSquares(gdValue))));
    }

    private static double sumSquares(double[] b) {
        double s = 0;
        for (double v : b) s += v * v;
        return s;
    }
    /** tr(B)/d: the multiple of the identity closest to B. */
    static double scale(double[] b, int d) {
        double tr = 0;
        for (int i = 0; i < d; i++) tr += b[i * d + i];
        return tr / d;
    }

    /** ‖B − (tr B/d)·I‖_F / ‖B‖_F: 0 for an exact multiple of the identity. */
    static double offIdentity(double[] b, int d) {
        double s = scale(b, d), res = 0, norm = 0;
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                double v = b[r * d + c];
                norm += v * v;
                double e = v - (r == c ? s : 0);
                res += e * e;
            }
        }
        return Math.sqrt(res / norm);
    }
}
