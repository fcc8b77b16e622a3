package dev.t2.tensor;

import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Compute-bound matrix product c[m, n] = a[m, k] · b[k, n] for large m (prefill, training), register-tiled:
 * b is handed over in packed f32 panels of {@link #NR} columns by {@link #KC} rows (decoded from its stored dtype
 * once per panel), and each panel is swept by a 6-row × 4-vector micro-kernel that keeps 24 accumulators in
 * registers, loads 4 panel vectors per step and reuses each against 6 broadcast rows of a.
 * a is row-major with row stride k; c is row-major with row stride n. Parallel over column panels.
 */
final class PackedGemm {
    private PackedGemm() {}

    /** Columns per panel: four float vectors. */
    static final int NR = 4 * L;
    /** Rows of a per micro-kernel call. */
    static final int MR = 6;
    /** Depth of a panel: NR × KC floats (64 KiB with AVX-512) stays in L2 while all of a streams past it. */
    static final int KC = 256;

    /** Fills panel[kk * NR + jj] = b[k0 + kk, n0 + jj] for kk < kc, jj < min(NR, n - n0); other slots are ignored. */
    @FunctionalInterface
    interface PanelPacker {
        void pack(int n0, int k0, int kc, float[] panel);
    }

    static void multiply(float[] a, int m, int k, PanelPacker b, int n, float[] c) {
        int panels = (n + NR - 1) / NR;
        Parallel.forChunks(panels, 1, (from, to) -> {
            float[] panel = new float[KC * NR];
            for (int p = from; p < to; p++) {
                int n0 = p * NR, cols = Math.min(NR, n - n0);
                for (int k0 = 0; k0 < k; k0 += KC) {
                    int kc = Math.min(KC, k - k0);
                    b.pack(n0, k0, kc, panel);
                    boolean accumulate = k0 > 0;
                    int m0 = 0;
                    for (; m0 + MR <= m; m0 += MR) {
                        kernel6(a, m0 * k + k0, k, panel, kc, c, m0 * n + n0, n, cols, accumulate);
                    }
                    for (; m0 < m; m0++) kernel1(a, m0 * k + k0, panel, kc, c, m0 * n + n0, cols, accumulate);
                }
            }
        });
    }

    /** Six rows of a against one panel; ai is a[m0, k0], ci is c[m0, n0]. */
    private static void kernel6(float[] a, int ai, int lda, float[] panel, int kc, float[] c, int ci, int ldc,
                                int cols, boolean accumulate) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        int a0 = ai, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        for (int kk = 0; kk < kc; kk++) {
            int p = kk * NR;
            FloatVector b0 = FloatVector.fromArray(F, panel, p);
            FloatVector b1 = FloatVector.fromArray(F, panel, p + L);
            FloatVector b2 = FloatVector.fromArray(F, panel, p + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, panel, p + 3 * L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01); c02 = b2.fma(x, c02); c03 = b3.fma(x, c03);
            x = FloatVector.broadcast(F, a[a1 + kk]);
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11); c12 = b2.fma(x, c12); c13 = b3.fma(x, c13);
            x = FloatVector.broadcast(F, a[a2 + kk]);
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21); c22 = b2.fma(x, c22); c23 = b3.fma(x, c23);
            x = FloatVector.broadcast(F, a[a3 + kk]);
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31); c32 = b2.fma(x, c32); c33 = b3.fma(x, c33);
            x = FloatVector.broadcast(F, a[a4 + kk]);
            c40 = b0.fma(x, c40); c41 = b1.fma(x, c41); c42 = b2.fma(x, c42); c43 = b3.fma(x, c43);
            x = FloatVector.broadcast(F, a[a5 + kk]);
            c50 = b0.fma(x, c50); c51 = b1.fma(x, c51); c52 = b2.fma(x, c52); c53 = b3.fma(x, c53);
        }
        storeRow(c00, c01, c02, c03, c, ci, cols, accumulate);
        storeRow(c10, c11, c12, c13, c, ci + ldc, cols, accumulate);
        storeRow(c20, c21, c22, c23, c, ci + 2 * ldc, cols, accumulate);
        storeRow(c30, c31, c32, c33, c, ci + 3 * ldc, cols, accumulate);
        storeRow(c40, c41, c42, c43, c, ci + 4 * ldc, cols, accumulate);
        storeRow(c50, c51, c52, c53, c, ci + 5 * ldc, cols, accumulate);
    }

    /** One row of a against one panel, for the rows left over after the six-row tiles. */
    private static void kernel1(float[] a, int ai, float[] panel, int kc, float[] c, int ci, int cols,
                                boolean accumulate) {
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        for (int kk = 0; kk < kc; kk++) {
            int p = kk * NR;
            FloatVector x = FloatVector.broadcast(F, a[ai + kk]);
            c0 = FloatVector.fromArray(F, panel, p).fma(x, c0);
            c1 = FloatVector.fromArray(F, panel, p + L).fma(x, c1);
            c2 = FloatVector.fromArray(F, panel, p + 2 * L).fma(x, c2);
            c3 = FloatVector.fromArray(F, panel, p + 3 * L).fma(x, c3);
        }
        storeRow(c0, c1, c2, c3, c, ci, cols, accumulate);
    }

    /** Writes (or adds) the first {@code cols} of the four vectors to c[ci ...]; masks cover a partial last panel. */
    private static void storeRow(FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3, float[] c, int ci,
                                 int cols, boolean accumulate) {
        if (cols == NR) {
            store(v0, c, ci, accumulate);
            store(v1, c, ci + L, accumulate);
            store(v2, c, ci + 2 * L, accumulate);
            store(v3, c, ci + 3 * L, accumulate);
        } else {
            storeMasked(v0, c, ci, cols, accumulate);
            storeMasked(v1, c, ci + L, cols - L, accumulate);
            storeMasked(v2, c, ci + 2 * L, cols - 2 * L, accumulate);
            storeMasked(v3, c, ci + 3 * L, cols - 3 * L, accumulate);
        }
    }

    private static void store(FloatVector v, float[] c, int at, boolean accumulate) {
        if (accumulate) v = v.add(FloatVector.fromArray(F, c, at));
        v.intoArray(c, at);
    }

    private static void storeMasked(FloatVector v, float[] c, int at, int valid, boolean accumulate) {
        if (valid <= 0) return;
        VectorMask<Float> mask = F.indexInRange(0, valid);
        if (accumulate) v = v.add(FloatVector.fromArray(F, c, at, mask));
        v.intoArray(c, at, mask);
    }
}
