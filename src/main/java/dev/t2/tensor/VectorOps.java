package dev.t2.tensor;

import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Vectorized elementwise and reduction helpers on f32 activations: (array, offset) in, n elements. */
public final class VectorOps {
    private VectorOps() {}

    /** Σ_{j<n} a[ao + j] · b[bo + j]. */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int j = 0;
        // Four independent accumulators hide the FMA latency.
        for (int end = n - 4 * L; j <= end; j += 4 * L) {
            s0 = FloatVector.fromArray(F, a, ao + j).fma(FloatVector.fromArray(F, b, bo + j), s0);
            s1 = FloatVector.fromArray(F, a, ao + j + L).fma(FloatVector.fromArray(F, b, bo + j + L), s1);
            s2 = FloatVector.fromArray(F, a, ao + j + 2 * L).fma(FloatVector.fromArray(F, b, bo + j + 2 * L), s2);
            s3 = FloatVector.fromArray(F, a, ao + j + 3 * L).fma(FloatVector.fromArray(F, b, bo + j + 3 * L), s3);
        }
        for (int end = n - L; j <= end; j += L) {
            s0 = FloatVector.fromArray(F, a, ao + j).fma(FloatVector.fromArray(F, b, bo + j), s0);
        }
        float sum = Species.sum(s0.add(s1).add(s2.add(s3)));
        for (; j < n; j++) sum += a[ao + j] * b[bo + j];
        return sum;
    }

    /**
     * out[oo + r·outStride] = Σ_{j<n} w[wo + j] · x[xo + r·xStride + j] for r < 4: one vector against four, each
     * load of w shared by four FMAs (the few-rows matmul path, with w a decoded weight row).
     */
    static void dot4(float[] w, int wo, float[] x, int xo, int xStride, int n, float[] out, int oo, int outStride) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int x1 = xo + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        int j = 0;
        for (int end = n - L; j <= end; j += L) {
            FloatVector wv = FloatVector.fromArray(F, w, wo + j);
            s0 = wv.fma(FloatVector.fromArray(F, x, xo + j), s0);
            s1 = wv.fma(FloatVector.fromArray(F, x, x1 + j), s1);
            s2 = wv.fma(FloatVector.fromArray(F, x, x2 + j), s2);
            s3 = wv.fma(FloatVector.fromArray(F, x, x3 + j), s3);
        }
        float d0 = Species.sum(s0), d1 = Species.sum(s1);
        float d2 = Species.sum(s2), d3 = Species.sum(s3);
        for (; j < n; j++) {
            float wj = w[wo + j];
            d0 += wj * x[xo + j];
            d1 += wj * x[x1 + j];
            d2 += wj * x[x2 + j];
            d3 += wj * x[x3 + j];
        }
        out[oo] = d0;
        out[oo + outStride] = d1;
        out[oo + 2 * outStride] = d2;
        out[oo + 3 * outStride] = d3;
    }

    /** y[yo + j] += alpha · x[xo + j]. */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int j = 0;
        for (int end = n - L; j <= end; j += L) {
            FloatVector.fromArray(F, x, xo + j).fma(va, FloatVector.fromArray(F, y, yo + j)).intoArray(y, yo + j);
        }
        for (; j < n; j++) y[yo + j] = Math.fma(alpha, x[xo + j], y[yo + j]);
    }

    /** y[yo + j] += x[xo + j]. */
    public static void add(float[] x, int xo, float[] y, int yo, int n) {
        int j = 0;
        for (int end = n - L; j <= end; j += L) {
            FloatVector.fromArray(F, y, yo + j).add(FloatVector.fromArray(F, x, xo + j)).intoArray(y, yo + j);
        }
        for (; j < n; j++) y[yo + j] += x[xo + j];
    }

    /** y[yo + j] *= x[xo + j] (the gate product of a SwiGLU block). */
    public static void mul(float[] x, int xo, float[] y, int yo, int n) {
        int j = 0;
        for (int end = n - L; j <= end; j += L) {
            FloatVector.fromArray(F, y, yo + j).mul(FloatVector.fromArray(F, x, xo + j)).intoArray(y, yo + j);
        }
        for (; j < n; j++) y[yo + j] *= x[xo + j];
    }

    /** x[xo + j] *= alpha. */
    public static void scale(float alpha, float[] x, int xo, int n) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int j = 0;
        for (int end = n - L; j <= end; j += L) FloatVector.fromArray(F, x, xo + j).mul(va).intoArray(x, xo + j);
        for (; j < n; j++) x[xo + j] *= alpha;
    }

    /** dp[off + j] = p[off + j] · (dp[off + j] − delta) · scale for j < n: the softmax's backward, dS = P ∘ (dP − δ). */
    public static void softmaxBackward(float[] p, float[] dp, int off, int n, float delta, float scale) {
        int j = 0;
        for (int end = n - L; j <= end; j += L) {
            FloatVector.fromArray(F, p, off + j).mul(FloatVector.fromArray(F, dp, off + j).sub(delta)).mul(scale).intoArray(dp, off + j);
        }
        for (; j < n; j++) dp[off + j] = p[off + j] * (dp[off + j] - delta) * scale;
    }

    /** max_{j<n} x[off + j]; n must be positive. */
    public static float max(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        int j = 0;
        if (n >= L) {
            FloatVector m = FloatVector.fromArray(F, x, off);
            for (j = L; j <= n - L; j += L) m = m.max(FloatVector.fromArray(F, x, off + j));
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; j < n; j++) max = Math.max(max, x[off + j]);
        return max;
    }

    /**
     * out = x / sqrt(mean(x²) + eps) · weight over n elements; weight is an f32, bf16 or f16 vector of n elements.
     * out may be x itself.
     */
    public static void rmsNorm(float[] out, int oo, float[] x, int xo, Tensor weight, float eps, int n) {
        if (weight.size() != n) throw new IllegalArgumentException("rmsNorm over " + n + " elements with " + weight.describe());
        float[] w = new float[n];
        RowKernels.decode(weight, 0, w, 0, n);
        float inv = (float) (1.0 / Math.sqrt(dot(x, xo, x, xo, n) / n + eps));
        FloatVector vinv = FloatVector.broadcast(F, inv);
        int j = 0;
        for (int end = n - L; j <= end; j += L) {
            FloatVector.fromArray(F, x, xo + j).mul(vinv).mul(FloatVector.fromArray(F, w, j)).intoArray(out, oo + j);
        }
        for (; j < n; j++) out[oo + j] = x[xo + j] * inv * w[j];
    }
}
