package dev.t2.mesa;

import dev.t2.model.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One attention-only residual layer (no MLP, no LayerNorm, no bias): y = x + Σ_h O_h·attention_h(Q_h x, K_h x, V_h x).
 * Weights: q, k, v [heads·headDim, width], o [width, heads·headDim], and for the mesa kind log λ per head.
 */
public final class AttentionLayer {
    private final AttentionKind kind;
    private final int width, heads, headDim, inner;
    private final Parameter wq, wk, wv, wo, logLambda;

    AttentionLayer(String prefix, AttentionKind kind, int width, int heads, int headDim, float initStd, Random rnd) {
        this.kind = kind;
        this.width = width;
        this.heads = heads;
        this.headDim = headDim;
        this.inner = heads * headDim;
        wq = new Parameter(prefix + "q", gaussian(rnd, inner * width, initStd), inner, width);
        wk = new Parameter(prefix + "k", gaussian(rnd, inner * width, initStd), inner, width);
        wv = new Parameter(prefix + "v", gaussian(rnd, inner * width, initStd), inner, width);
        wo = new Parameter(prefix + "o", gaussian(rnd, width * inner, initStd), width, inner);
        logLambda = kind == AttentionKind.MESA ? new Parameter(prefix + "log_lambda", new float[heads], heads) : null;
    }

    private static float[] gaussian(Random rnd, int n, float std) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (rnd.nextGaussian() * std);
        return w;
    }

    public AttentionKind kind() {
        return kind;
    }

    public int heads() {
        return heads;
    }

    public int headDim() {
        return headDim;
    }

    public Parameter query() {
        return wq;
    }

    public Parameter key() {
        return wk;
    }

    public Parameter value() {
        return wv;
    }

    public Parameter output() {
        return wo;
    }

    /** log λ per head (mesa layers only). */
    public Parameter logLambda() {
        if (logLambda == null) throw new IllegalStateException("a " + kind + " layer has no λ");
        return logLambda;
    }

    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>(List.of(wq, wk, wv, wo));
        if (logLambda != null) p.add(logLambda);
        return p;
    }

    /** What the reverse pass needs from one sequence's forward pass, reused across sequences. */
    final class Activations {
        final int positions;
        final float[] x, q, k, v, attended, preconditioned, inverses, probs;

        Activations(int positions) {
            this.positions = positions;
            x = new float[positions * width];
            q = new float[positions * inner];
            k = new float[positions * inner];
            v = new float[positions * inner];
            attended = new float[positions * inner];
            preconditioned = kind == AttentionKind.MESA ? new float[positions * inner] : null;
            inverses = kind == AttentionKind.MESA ? new float[heads * positions * headDim * headDim] : null;
            probs = kind == AttentionKind.SOFTMAX ? new float[heads * positions * positions] : null;
        }
    }

    Activations activations(int positions) {
        return new Activations(positions);
    }

    /** y = x + attention(x) for one sequence [positions, width]; keeps what backward needs in {@code a}. */
    void forward(float[] x, Activations a, float[] y) {
        int len = a.positions;
        System.arraycopy(x, 0, a.x, 0, len * width);
        Dense.timesTransposed(x, len, width, wq.value(), inner, a.q);
        Dense.timesTransposed(x, len, width, wk.value(), inner, a.k);
        Dense.timesTransposed(x, len, width, wv.value(), inner, a.v);
        float[] scratch = new float[Math.max(headDim, len)];
        for (int h = 0; h < heads; h++) {
            HeadView view = new HeadView(len, inner, h * headDim, headDim);
            switch (kind) {
                case LINEAR -> LinearAttention.forward(view, a.q, a.k, a.v, a.attended);
                case SOFTMAX -> SoftmaxAttention.forward(view, a.q, a.k, a.v, a.attended, a.probs, h * len * len);
                case MESA -> MesaAttention.forward(view, lambda(h), a.q, a.k, a.v, a.preconditioned, a.attended,
                        a.inverses, h * len * headDim * headDim, scratch);
            }
        }
        System.arraycopy(x, 0, y, 0, len * width);
        Dense.addTimesTransposed(a.attended, len, inner, wo.value(), width, y);
    }

    /** Given dy, adds the weight gradients into {@code grads} (ordered as {@link #parameters()}) and writes dx. */
    void backward(Activations a, float[] dy, float[] dx, List<float[]> grads) {
        int len = a.positions;
        float[] dAttended = new float[len * inner], dq = new float[len * inner], dk = new float[len * inner], dv = new float[len * inner];
        Dense.addTimes(dy, len, width, wo.value(), inner, dAttended);
        Dense.addTransposedTimes(dy, len, width, a.attended, inner, grads.get(3));
        float[] scratch = new float[Math.max(headDim, len)];
        float[] du = kind == AttentionKind.MESA ? new float[len * inner] : null;
        for (int h = 0; h < heads; h++) {
            HeadView view = new HeadView(len, inner, h * headDim, headDim);
            switch (kind) {
                case LINEAR -> LinearAttention.backward(view, a.q, a.k, a.v, dAttended, dq, dk, dv);
                case SOFTMAX -> SoftmaxAttention.backward(view, a.q, a.k, a.v, a.probs, h * len * len, dAttended, dq, dk, dv, scratch);
                case MESA -> grads.get(4)[h] += MesaAttention.backward(view, lambda(h), a.q, a.k, a.v, a.preconditioned,
                        a.inverses, h * len * headDim * headDim, dAttended, dq, dk, dv, du, scratch);
            }
        }
        Dense.addTransposedTimes(dq, len, inner, a.x, width, grads.get(0));
        Dense.addTransposedTimes(dk, len, inner, a.x, width, grads.get(1));
        Dense.addTransposedTimes(dv, len, inner, a.x, width, grads.get(2));
        System.arraycopy(dy, 0, dx, 0, len * width);
        Dense.addTimes(dq, len, inner, wq.value(), width, dx);
        Dense.addTimes(dk, len, inner, wk.value(), width, dx);
        Dense.addTimes(dv, len, inner, wv.value(), width, dx);
    }

    float lambda(int head) {
        return (float) Math.exp(logLambda.value()[head]);
    }
}
