package dev.t2.svf;

import dev.t2.model.Linear;
import dev.t2.model.Parameter;
import dev.t2.tensor.MatMul;
import java.util.List;

/**
 * Singular Value Fine-tuning of one matrix, as the reference parametrises it: trainable p (one per singular
 * value), scale s = sigmoid(p)·maxMult, W' = U·diag(σ⊙s)·Vᵀ · (Σσ / Σσ⊙s). The rescale keeps Σσ fixed, so
 * W' ≈ W at init and multiplying s by a constant changes nothing. W' is rebuilt when p changes and used as a
 * dense f32 matrix; gradients reach p through g_k = Σ_rows (Uᵀdy)_k (Vᵀx)_k = u_kᵀ (dL/dW') v_k.
 */
public final class SvfLinear implements Linear {
    private final Svd svd;
    private final Parameter logits;
    private final float maxMult;
    private float[] builtFor;
    private float[] weight;
    private float[] scale;
    private float rescale;

    public SvfLinear(Svd svd, Parameter logits, float maxMult) {
        if (logits.size() != svd.rank()) throw new IllegalArgumentException(logits + " has " + logits.size() + " values for rank " + svd.rank());
        this.svd = svd;
        this.logits = logits;
        this.maxMult = maxMult;
    }

    /** The mean initial logit; an untrained scale is sigmoid of it (times max_mult). */
    public static final float INITIAL_LOGIT = 0.1f;

    /** p initialised as the reference does: 0.1 + N(0, 0.01²). */
    public static Parameter initialLogits(String name, int rank, java.util.Random rnd) {
        float[] p = new float[rank];
        for (int i = 0; i < rank; i++) p[i] = INITIAL_LOGIT + 0.01f * (float) rnd.nextGaussian();
        return new Parameter(name, p, rank);
    }

    public Svd svd() {
        return svd;
    }

    public Parameter logits() {
        return logits;
    }

    /** The current scale s = sigmoid(p)·maxMult. */
    public float[] scale() {
        rebuildIfChanged();
        return scale.clone();
    }

    /** The adapted matrix W' as dense f32 [out, in]. */
    public float[] weight() {
        rebuildIfChanged();
        return weight;
    }

    private void rebuildIfChanged() {
        if (builtFor != null && java.util.Arrays.equals(builtFor, logits.value())) return;
        builtFor = logits.value().clone();
        int r = svd.rank();
        scale = new float[r];
        double sigmaSum = 0, scaledSum = 0;
        for (int k = 0; k < r; k++) {
            scale[k] = maxMult / (1f + (float) Math.exp(-builtFor[k]));
            sigmaSum += svd.sigma()[k];
            scaledSum += svd.sigma()[k] * scale[k];
        }
        rescale = (float) (sigmaSum / scaledSum);
        weight = svd.reconstruct(scale, rescale);
    }

    @Override
    public int in() {
        return svd.in();
    }

    @Override
    public int out() {
        return svd.out();
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        MatMul.matmulF32(x, rows, in(), weight(), true, y);
    }

    @Override
    public void backward(float[] x, int rows, float[] dy, float[] dx) {
        float[] w = weight();
        if (dx != null) MatMul.matmulF32(dy, rows, out(), w, false, dx);
        int r = svd.rank();
        float[] projectedDy = new float[rows * r], projectedX = new float[rows * r];
        MatMul.matmulF32(dy, rows, out(), svd.u(), false, projectedDy);
        MatMul.matmulF32(x.length == rows * in() ? x : java.util.Arrays.copyOf(x, rows * in()), rows, in(), svd.v(), false, projectedX);
        double[] g = new double[r];
        for (int t = 0; t < rows; t++) for (int k = 0; k < r; k++) g[k] += (double) projectedDy[t * r + k] * projectedX[t * r + k];
        // W' = c·Σ a_k u_k v_kᵀ with a = σ⊙s, c = Σσ/Σa  ⇒  dL/da_k = c·(g_k − Σ_j a_j g_j / Σa)
        double aSum = 0, agSum = 0;
        for (int k = 0; k < r; k++) {
            double a = svd.sigma()[k] * scale[k];
            aSum += a;
            agSum += a * g[k];
        }
        float[] grad = logits.grad();
        for (int k = 0; k < r; k++) {
            double dA = rescale * (g[k] - agSum / aSum);
            double dScaleDp = scale[k] * (1 - scale[k] / maxMult);
            grad[k] += (float) (dA * svd.sigma()[k] * dScaleDp);
        }
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(logits);
    }
}
