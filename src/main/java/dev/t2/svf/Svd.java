package dev.t2.svf;

import dev.t2.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Thin SVD W = U·diag(σ)·Vᵀ of a weight matrix [out, in], computed in double by EJML (Householder
 * bidiagonalisation + implicit-shift QR) and kept in f32: U [out, r], σ [r] descending, V [in, r], r = min(out, in).
 */
public record Svd(int out, int in, float[] u, float[] sigma, float[] v) {

    public int rank() {
        return sigma.length;
    }

    public static Svd of(Tensor w) {
        int out = w.rows(), in = w.cols(), r = Math.min(out, in);
        DMatrixRMaj m = new DMatrixRMaj(out, in);
        for (int i = 0; i < out * in; i++) m.data[i] = w.getFloat(i);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(out, in, true, true, true);
        if (!svd.decompose(m)) throw new IllegalStateException("SVD of " + w.describe() + " did not converge");
        DMatrixRMaj uMat = svd.getU(null, false), vMat = svd.getV(null, false);
        double[] s = svd.getSingularValues();
        Integer[] order = new Integer[r];
        for (int i = 0; i < r; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a])); // EJML does not promise an order
        float[] u = new float[out * r], sigma = new float[r], v = new float[in * r];
        for (int k = 0; k < r; k++) {
            int src = order[k];
            sigma[k] = (float) s[src];
            for (int o = 0; o < out; o++) u[o * r + k] = (float) uMat.get(o, src);
            for (int i = 0; i < in; i++) v[i * r + k] = (float) vMat.get(i, src);
        }
        return new Svd(out, in, u, sigma, v);
    }

    /** U·diag(σ ⊙ scale)·Vᵀ · factor as a dense f32 [out, in] matrix. */
    public float[] reconstruct(float[] scale, float factor) {
        int r = rank();
        float[] us = new float[out * r];
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < r; k++) us[o * r + k] = u[o * r + k] * sigma[k] * (scale == null ? 1f : scale[k]) * factor;
        }
        float[] w = new float[out * in];
        dev.t2.tensor.MatMul.matmulF32(us, out, r, v, true, w); // (U·diag)·Vᵀ with V stored [in, r]
        return w;
    }

    /** Largest |W − U·diag(σ)·Vᵀ| relative to the largest |W|. */
    public double reconstructionError(Tensor w) {
        float[] back = reconstruct(null, 1f);
        double worst = 0, scale = 0;
        for (int i = 0; i < back.length; i++) {
            double x = w.getFloat(i);
            worst = Math.max(worst, Math.abs(back[i] - x));
            scale = Math.max(scale, Math.abs(x));
        }
        return scale == 0 ? worst : worst / scale;
    }
}
