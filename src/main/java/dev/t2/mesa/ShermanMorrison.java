package dev.t2.mesa;

/**
 * The rank-one inverse update behind the mesa layer: R ← R − (R k)(R k)ᵀ / (1 + kᵀ R k) keeps R = (Σ k kᵀ + I/λ)⁻¹
 * for symmetric R, in O(n²) per key instead of a fresh O(n³) solve. Float for the layer, double for the checks.
 */
public final class ShermanMorrison {
    private ShermanMorrison() {}

    /** Updates symmetric r [n, n] in place with key k; rk (length n) is scratch and ends holding R_old·k. */
    public static void update(float[] r, float[] k, int kOff, int n, float[] rk) {
        for (int a = 0; a < n; a++) rk[a] = HeadView.dot(r, a * n, k, kOff, n);
        float denom = 1 + HeadView.dot(k, kOff, rk, 0, n);
        for (int a = 0; a < n; a++) HeadView.axpy(-rk[a] / denom, rk, 0, r, a * n, n);
    }

    public static void update(double[] r, double[] k, int kOff, int n, double[] rk) {
        for (int a = 0; a < n; a++) {
            double s = 0;
            for (int b = 0; b < n; b++) s += r[a * n + b] * k[kOff + b];
            rk[a] = s;
        }
        double denom = 1;
        for (int b = 0; b < n; b++) denom += k[kOff + b] * rk[b];
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) r[a * n + b] -= rk[a] * rk[b] / denom;
    }

    /** λ·I as [n, n]. */
    public static float[] scaledIdentity(int n, float lambda) {
        float[] r = new float[n * n];
        for (int a = 0; a < n; a++) r[a * n + a] = lambda;
        return r;
    }
}
