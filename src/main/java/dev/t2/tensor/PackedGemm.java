package dev.t2.tensor;

import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.L;

import jdk.incubator.vector.FloatVector;

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

    /**
     * Fills panel[kk * NR + jj] = b[k0 + kk, n0 + jj] for kk < kc, jj < min(NR, n - n0); other slots are ignored.
     * scratch is a per-thread buffer of KC × NR floats.
     */
    @FunctionalInterface
    interface PanelPacker {
        void pack(int n0, int k0, int kc, float[] panel, float[] scratch);
    }

    /**
     * panel[kk * NR + jj] = rows[jj * kc + kk]: transposes NR rows of kc floats into a panel. Each panel vector is
     * one gather down L rows; scattering scalars column by column measured 1.6x slower (every store a new line).
     */
    static void transposeRows(float[] rows, int kc, float[] panel) {
        int[] down = new int[L];
        for (int i = 0; i < L; i++) down[i] = i * kc;
        for (int kk = 0; kk < kc; kk++) {
            int p = kk * NR;
            FloatVector.fromArray(F, rows, kk, down, 0).intoArray(panel, p);
            FloatVector.fromArray(F, rows, L * kc + kk, down, 0).intoArray(panel, p + L);
            FloatVector.fromArray(F, rows, 2 * L * kc + kk, down, 0).intoArray(panel, p + 2 * L);
            FloatVector.fromArray(F, rows, 3 * L * kc + kk, down, 0).intoArray(panel, p + 3 * L);
        }
    }

    static void multiply(float[] a, int m, int k, PanelPacker b, int n, float[] c) {
        int panels = (n + NR - 1) / NR;
        Parallel.forChunks(panels, 1, (from, to) -> {
            float[] panel = new float[KC * NR], scratch = new float[KC * NR];
            float[] edge = new float[MR * NR];
            for (int p = from; p < to; p++) {
                int n0 = p * NR, cols = Math.min(NR, n - n0);
                for (int k0 = 0; k0 < k; k0 += KC) {
                    int kc = Math.min(KC, k - k0);
                    b.pack(n0, k0, kc, panel, scratch);
                    boolean accumulate = k0 > 0;
                    for (int m0 = 0; m0 < m; m0 += MR) {
                        int rows = Math.min(MR, m - m0);
                        if (cols == NR) {
                            tile(a, m0 * k + k0, k, rows, panel, kc, c, m0 * n + n0, n, accumulate);
                        } else {
                            // A partial last panel goes through a full-width buffer so the kernels never mask.
                            if (accumulate) copy(c, m0 * n + n0, n, edge, 0, NR, rows, cols);
                            tile(a, m0 * k + k0, k, rows, panel, kc, edge, 0, NR, accumulate);
                            copy(edge, 0, NR, c, m0 * n + n0, n, rows, cols);
                        }
                    }
                }
            }
        });
    }

    private static void tile(float[] a, int ai, int lda, int rows, float[] panel, int kc, float[] d, int di, int ldd,
                             boolean accumulate) {
        if (rows == MR) {
            kernel6(a, ai, lda, panel, kc, d, di, ldd, accumulate);
        } else {
            for (int r = 0; r < rows; r++) kernel1(a, ai + r * lda, panel, kc, d, di + r * ldd, accumulate);
        }
    }

    private static void copy(float[] src, int si, int lds, float[] dst, int di, int ldd, int rows, int cols) {
        for (int r = 0; r < rows; r++) System.arraycopy(src, si + r * lds, dst, di + r * ldd, cols);
    }

    /**
     * d[6 rows, NR] (+)= a[6 rows, kc] · panel, with ai at a[m0, k0] and di at d[m0, n0]. Accumulators start from d
     * when accumulating. Everything is spelled out in this one method: a vector passed to or returned from a
     * method C2 does not inline gets boxed, which measured 30x slower here.
     */
    private static void kernel6(float[] a, int ai, int lda, float[] panel, int kc, float[] d, int di, int ldd,
                                boolean accumulate) {
        int d0 = di, d1 = d0 + ldd, d2 = d1 + ldd, d3 = d2 + ldd, d4 = d3 + ldd, d5 = d4 + ldd;
        FloatVector c00 = accumulate ? FloatVector.fromArray(F, d, d0) : FloatVector.zero(F), c01 = accumulate ? FloatVector.fromArray(F, d, d0 + L) : FloatVector.zero(F);
        FloatVector c02 = accumulate ? FloatVector.fromArray(F, d, d0 + 2 * L) : FloatVector.zero(F), c03 = accumulate ? FloatVector.fromArray(F, d, d0 + 3 * L) : FloatVector.zero(F);
        FloatVector c10 = accumulate ? FloatVector.fromArray(F, d, d1) : FloatVector.zero(F), c11 = accumulate ? FloatVector.fromArray(F, d, d1 + L) : FloatVector.zero(F);
        FloatVector c12 = accumulate ? FloatVector.fromArray(F, d, d1 + 2 * L) : FloatVector.zero(F), c13 = accumulate ? FloatVector.fromArray(F, d, d1 + 3 * L) : FloatVector.zero(F);
        FloatVector c20 = accumulate ? FloatVector.fromArray(F, d, d2) : FloatVector.zero(F), c21 = accumulate ? FloatVector.fromArray(F, d, d2 + L) : FloatVector.zero(F);
        FloatVector c22 = accumulate ? FloatVector.fromArray(F, d, d2 + 2 * L) : FloatVector.zero(F), c23 = accumulate ? FloatVector.fromArray(F, d, d2 + 3 * L) : FloatVector.zero(F);
        FloatVector c30 = accumulate ? FloatVector.fromArray(F, d, d3) : FloatVector.zero(F), c31 = accumulate ? FloatVector.fromArray(F, d, d3 + L) : FloatVector.zero(F);
        FloatVector c32 = accumulate ? FloatVector.fromArray(F, d, d3 + 2 * L) : FloatVector.zero(F), c33 = accumulate ? FloatVector.fromArray(F, d, d3 + 3 * L) : FloatVector.zero(F);
        FloatVector c40 = accumulate ? FloatVector.fromArray(F, d, d4) : FloatVector.zero(F), c41 = accumulate ? FloatVector.fromArray(F, d, d4 + L) : FloatVector.zero(F);
        FloatVector c42 = accumulate ? FloatVector.fromArray(F, d, d4 + 2 * L) : FloatVector.zero(F), c43 = accumulate ? FloatVector.fromArray(F, d, d4 + 3 * L) : FloatVector.zero(F);
        FloatVector c50 = accumulate ? FloatVector.fromArray(F, d, d5) : FloatVector.zero(F), c51 = accumulate ? FloatVector.fromArray(F, d, d5 + L) : FloatVector.zero(F);
        FloatVector c52 = accumulate ? FloatVector.fromArray(F, d, d5 + 2 * L) : FloatVector.zero(F), c53 = accumulate ? FloatVector.fromArray(F, d, d5 + 3 * L) : FloatVector.zero(F);
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
        c00.intoArray(d, d0); c01.intoArray(d, d0 + L); c02.intoArray(d, d0 + 2 * L); c03.intoArray(d, d0 + 3 * L);
        c10.intoArray(d, d1); c11.intoArray(d, d1 + L); c12.intoArray(d, d1 + 2 * L); c13.intoArray(d, d1 + 3 * L);
        c20.intoArray(d, d2); c21.intoArray(d, d2 + L); c22.intoArray(d, d2 + 2 * L); c23.intoArray(d, d2 + 3 * L);
        c30.intoArray(d, d3); c31.intoArray(d, d3 + L); c32.intoArray(d, d3 + 2 * L); c33.intoArray(d, d3 + 3 * L);
        c40.intoArray(d, d4); c41.intoArray(d, d4 + L); c42.intoArray(d, d4 + 2 * L); c43.intoArray(d, d4 + 3 * L);
        c50.intoArray(d, d5); c51.intoArray(d, d5 + L); c52.intoArray(d, d5 + 2 * L); c53.intoArray(d, d5 + 3 * L);
    }

    /** One row: d[1, NR] (+)= a[1, kc] · panel, for the rows left over after the six-row tiles. */
    private static void kernel1(float[] a, int ai, float[] panel, int kc, float[] d, int di, boolean accumulate) {
        FloatVector c0 = accumulate ? FloatVector.fromArray(F, d, di) : FloatVector.zero(F), c1 = accumulate ? FloatVector.fromArray(F, d, di + L) : FloatVector.zero(F);
        FloatVector c2 = accumulate ? FloatVector.fromArray(F, d, di + 2 * L) : FloatVector.zero(F), c3 = accumulate ? FloatVector.fromArray(F, d, di + 3 * L) : FloatVector.zero(F);
        for (int kk = 0; kk < kc; kk++) {
            int p = kk * NR;
            FloatVector x = FloatVector.broadcast(F, a[ai + kk]);
            c0 = FloatVector.fromArray(F, panel, p).fma(x, c0);
            c1 = FloatVector.fromArray(F, panel, p + L).fma(x, c1);
            c2 = FloatVector.fromArray(F, panel, p + 2 * L).fma(x, c2);
            c3 = FloatVector.fromArray(F, panel, p + 3 * L).fma(x, c3);
        }
        c0.intoArray(d, di);
        c1.intoArray(d, di + L);
        c2.intoArray(d, di + 2 * L);
        c3.intoArray(d, di + 3 * L);
    }
}
