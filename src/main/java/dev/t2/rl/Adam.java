package dev.t2.rl;

import dev.t2.model.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (PyTorch's defaults: β1 0.9, β2 0.999, ε 1e-8; decoupled weight decay as AdamW when weightDecay > 0)
 * with the global gradient-norm clip the reference always applies before the step.
 */
public final class Adam {
    private final List<Parameter> params;
    private final float beta1, beta2, eps, weightDecay, clipNorm;
    private final List<float[]> m = new ArrayList<>(), v = new ArrayList<>();
    private long step;

    public Adam(List<Parameter> params, float beta1, float beta2, float eps, float weightDecay, float clipNorm) {
        this.params = List.copyOf(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
        for (Parameter p : params) {
            m.add(new float[p.size()]);
            v.add(new float[p.size()]);
        }
    }

    public static Adam defaults(List<Parameter> params, float clipNorm) {
        return new Adam(params, 0.9f, 0.999f, 1e-8f, 0f, clipNorm);
    }

    /** √Σ grad² over every parameter. */
    public double gradNorm() {
        double ss = 0;
        for (Parameter p : params) for (float g : p.grad()) ss += (double) g * g;
        return Math.sqrt(ss);
    }

    /** Clips the gradients to the global norm (if above), takes one step at {@code lr}; returns the norm before clipping. */
    public double step(float lr) {
        double norm = gradNorm();
        float clip = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / (norm + 1e-6)) : 1f; // torch's clip_grad_norm_
        step++;
        double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
        for (int pi = 0; pi < params.size(); pi++) {
            float[] w = params.get(pi).value(), g = params.get(pi).grad(), mi = m.get(pi), vi = v.get(pi);
            for (int i = 0; i < w.length; i++) {
                float grad = g[i] * clip;
                mi[i] = beta1 * mi[i] + (1 - beta1) * grad;
                vi[i] = beta2 * vi[i] + (1 - beta2) * grad * grad;
                if (weightDecay > 0) w[i] -= lr * weightDecay * w[i];
                w[i] -= (float) (lr * (mi[i] / c1) / (Math.sqrt(vi[i] / c2) + eps));
            }
        }
        return norm;
    }

    public long steps() {
        return step;
    }

    /** Moment estimates per parameter, for checkpoints (resume must continue bit-identically). */
    public List<float[]> firstMoments() {
        return m;
    }

    public List<float[]> secondMoments() {
        return v;
    }

    public void restore(long steps, List<float[]> first, List<float[]> second) {
        if (first.size() != m.size() || second.size() != v.size()) throw new IllegalArgumentException("optimizer state is for another parameter set");
        for (int i = 0; i < m.size(); i++) {
            System.arraycopy(first.get(i), 0, m.get(i), 0, m.get(i).length);
            System.arraycopy(second.get(i), 0, v.get(i), 0, v.get(i).length);
        }
        this.step = steps;
    }
}
