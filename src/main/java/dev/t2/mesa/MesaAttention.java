package dev.t2.mesa;

/**
 * One mesa head: R_t = (Σ_{i≤t} k_i k_iᵀ + I/λ)⁻¹ by Sherman–Morrison from R_0 = λI, u_t = R_t q_t, and linear
 * attention with the queries u_t, i.e. o_t = Φ_t q_t with Φ_t the ridge solution of v ≈ Φk over i ≤ t.
 * The reverse pass: dA_t = −w_t u_tᵀ with w_t = R_t·du_t, so dk_i gets −Σ_{t≥i}[w_t (u_t·k_i) + u_t (w_t·k_i)],
 * dq_t = w_t, and d(log λ) = Σ_t (w_t·u_t)/λ.
 */
final class MesaAttention {
    private MesaAttention() {}

    /** Fills the head's columns of u (preconditioned queries) and out; {@code rs} from rOff keeps every R_t as [positions, n, n]. */
    static void forward(HeadView h, float lambda, float[] q, float[] k, float[] v, float[] u, float[] out, float[] rs, int rOff, float[] scratch) {
        int n = h.size(), nn = n * n;
        float[] r = ShermanMorrison.scaledIdentity(n, lambda);
        for (int t = 0; t < h.positions(); t++) {
            ShermanMorrison.update(r, k, h.at(t), n, scratch);
            System.arraycopy(r, 0, rs, rOff + t * nn, nn);
            for (int a = 0; a < n; a++) u[h.at(t) + a] = HeadView.dot(r, a * n, q, h.at(t), n);
        }
        LinearAttention.forward(h, u, k, v, out);
    }

    /** Adds the gradients of q, k, v and returns d(log λ); du is scratch of the activations' size. */
    static float backward(HeadView h, float lambda, float[] q, float[] k, float[] v, float[] u, float[] rs, int rOff, float[] g,
                          float[] dq, float[] dk, float[] dv, float[] du, float[] w) {
        int n = h.size(), nn = n * n;
        for (int t = 0; t < h.positions(); t++) java.util.Arrays.fill(du, h.at(t), h.at(t) + n, 0f);
        LinearAttention.backward(h, u, k, v, g, du, dk, dv);
        float dLogLambda = 0;
        for (int t = 0; t < h.positions(); t++) {
            int ot = h.at(t);
            for (int a = 0; a < n; a++) w[a] = HeadView.dot(rs, rOff + t * nn + a * n, du, ot, n);
            HeadView.axpy(1f, w, 0, dq, ot, n);
            dLogLambda += HeadView.dot(w, 0, u, ot, n) / lambda;
            for (int i = 0; i <= t; i++) {
                int oi = h.at(i);
                HeadView.axpy(-HeadView.dot(u, ot, k, oi, n), w, 0, dk, oi, n);
                HeadView.axpy(-HeadView.dot(w, 0, k, oi, n), u, ot, dk, oi, n);
            }
        }
        return dLogLambda;
    }
}
