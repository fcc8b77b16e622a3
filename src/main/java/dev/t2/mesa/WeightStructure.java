package dev.t2.mesa;

/**
 * The weights of a trained 1-layer, 1-head linear-attention model on constructed tokens, read as the paper does:
 * W_KQ = W_kᵀW_q and W_PV = W_o W_v. Only two blocks matter for a GD step: keys from s_{i−1} against queries from
 * s_t (columns of both s_t copies added), and values from s_i (both copies) into the prediction block. If both are
 * a·I and b·I the model takes one GD step with learning rate a·b.
 */
public record WeightStructure(double keyQueryScale, double keyQueryOffIdentity, double valueScale, double valueOffIdentity,
                              double otherKeyQueryShare) {
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
        double[] kqBlock = new double[d * d], pvBlock = new double[d * d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                kqBlock[r * d + c] = kq[(3 * d + r) * width + d + c] + kq[(3 * d + r) * width + 2 * d + c];
                pvBlock[r * d + c] = pv[r * width + d + c] + pv[r * width + 2 * d + c];
            }
        }
        // how much of W_KQ acting on the s_t queries sits outside the GD block (keys from other token slots)
        double inside = 0, outside = 0;
        for (int r = 0; r < width; r++) {
            for (int c = d; c < 3 * d; c++) {
                double v = kq[r * width + c] * kq[r * width + c];
                if (r >= 3 * d) inside += v;
                else outside += v;
            }
        }
        return new WeightStructure(scale(kqBlock, d), offIdentity(kqBlock, d), scale(pvBlock, d), offIdentity(pvBlock, d),
                Math.sqrt(outside / (inside + outside)));
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
