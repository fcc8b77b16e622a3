package dev.t2.tensor;

import java.util.Arrays;

/**
 * Matrix products against stored weights, the hot loops of inference and training. Weights stay in their stored
 * dtype and are read straight from their bytes.
 *
 * <ul>
 *   <li>Few rows of activations (decode): memory-bound, so every weight byte is read exactly once per call by fused
 *       dequantize-and-dot kernels, parallel over output rows.</li>
 *   <li>Many rows (prefill, training): compute-bound, so weights are decoded once into packed f32 panels and reused
 *       across the whole batch by the register-tiled {@link PackedGemm}.</li>
 * </ul>
 */
public final class MatMul {
    private MatMul() {}

    /**
     * From this many activation rows on, packing weights into panels pays for itself: packing a 4864x896 bf16
     * matrix costs ~1.3 ms, about what the few-rows path spends on 14-16 rows.
     */
    static final int GEMM_MIN_ROWS = 16;
    /** Columns per work item of the small-batch transposed product (whole vectors and whole quantized blocks). */
    private static final int COLUMN_CHUNK = 256;

    /** out[b, o] = Σ_i w[o, i] · x[b, i] with x [batch, in] and out [batch, out] row-major. */
    public static void matmul(Tensor w, float[] x, float[] out, int batch) {
        int rows = w.rows(), cols = w.cols();
        if (x.length < (long) batch * cols || out.length < (long) batch * rows) {
            throw new IllegalArgumentException("matmul " + w.describe() + ": x has " + x.length
                    + " floats, out " + out.length + ", batch " + batch);
        }
        RowKernels.requireWholeBlocks(w);
        if (batch >= GEMM_MIN_ROWS) {
            Bf16RowGroups groups = Bf16RowGroups.existing(w);
            PackedGemm.PanelPacker panels = groups != null
                    ? (n0, k0, kc, panel, scratch) -> groups.packPanel(n0, k0, kc, panel)
                    : transposedPanels(w);
            PackedGemm.multiply(x, batch, cols, panels, rows, out);
        } else if (batch == 1) {
            matvec(w, x, out);
        } else {
            fewRows(w, x, out, batch);
        }
    }

    /**
     * out_m = w_m · x for several matrices that read the same activations (q/k/v, gate/up), then
     * {@code after.run(from, to)} over the flat outputs [0, batch · rows of ws[0]). With one activation row (decode)
     * this is one parallel job: each chunk takes the same share of every matrix's rows and then runs {@code after} on
     * its share of ws[0]'s rows, so the cores hand off once instead of once per matrix and the element-wise step is
     * spread over them too; {@code after} therefore needs every matrix to have ws[0]'s row count.
     */
    public static void matmulShared(Tensor[] ws, float[] x, float[][] outs, int batch, Parallel.RangeBody after) {
        if (ws.length == 0 || ws.length != outs.length) {
            throw new IllegalArgumentException("matmulShared: " + ws.length + " matrices, " + outs.length + " outputs");
        }
        int rows0 = ws[0].rows();
        for (Tensor w : ws) {
            if (w.cols() != ws[0].cols()) {
                throw new IllegalArgumentException("matmulShared: " + w.describe() + " does not read the " + ws[0].cols()
                        + " inputs of " + ws[0].describe());
            }
            if (after != null && w.rows() != rows0) {
                throw new IllegalArgumentException("matmulShared: " + w.describe() + " has not the " + rows0
                        + " rows of " + ws[0].describe() + " that the element-wise step runs over");
            }
        }
        if (batch != 1) {
            for (int m = 0; m < ws.length; m++) matmul(ws[m], x, outs[m], batch);
            if (after != null) after.run(0, batch * rows0);
            return;
        }
        OneRow[] products = new OneRow[ws.length];
        for (int m = 0; m < ws.length; m++) {
            Tensor w = ws[m];
            if (x.length < w.cols() || outs[m].length < w.rows()) {
                throw new IllegalArgumentException("matmulShared " + w.describe() + ": x has " + x.length + " floats, out "
                        + outs[m].length);
            }
            products[m] = OneRow.of(w, x);
        }
        OneRow first = products[0];
        // The element-wise step may run per chunk only if every matrix cuts its rows exactly as ws[0] does.
        boolean afterPerChunk = after != null && Arrays.stream(products).allMatch(p -> p.sameCutAs(first));
        int units = first.units(), scratchFloats = Arrays.stream(ws).mapToInt(w -> RowKernels.scratchSize(w.dtype())).max().orElse(0);
        Parallel.forTaperedChunks(units, first.minChunk(), (from, to) -> {
            float[] scratch = new float[scratchFloats];
            for (int m = 0; m < ws.length; m++) {
                int n = products[m].units();
                // The same share of every matrix: units [n·from/units, n·to/units) of matrix m.
                products[m].run((int) ((long) n * from / units), (int) ((long) n * to / units), outs[m], scratch);
            }
            if (afterPerChunk) after.run(first.rowOf(from), first.rowOf(to));
        });
        if (after != null && !afterPerChunk) Parallel.forChunks(rows0, 256, after);
    }

    /** One activation row: each worker's share of the rows goes through {@link OneRow#run}. */
    private static void matvec(Tensor w, float[] x, float[] out) {
        OneRow product = OneRow.of(w, x);
        int scratchFloats = RowKernels.scratchSize(w.dtype());
        Parallel.forTaperedChunks(product.units(), product.minChunk(), (from, to) -> product.run(from, to, out, new float[scratchFloats]));
    }

    /**
     * One matrix's one-row product cut into units of work: single rows of the stored layout, or runs of rows of the
     * matrix's {@link Bf16RowGroups} copy when it has one.
     */
    private record OneRow(Tensor w, Bf16RowGroups groups, float[] px) {
        static OneRow of(Tensor w, float[] x) {
            RowKernels.requireWholeBlocks(w);
            Bf16RowGroups groups = Bf16RowGroups.of(w);
            return new OneRow(w, groups, groups != null ? groups.prepare(x) : prepared(w, x));
        }

        int units() {
            return groups != null ? groups.units() : w.rows();
        }

        /** Smallest share worth handing to a core: 64 rows of the stored layout, or one run of groups. */
        int minChunk() {
            return groups != null ? 1 : 64;
        }

        /** First row of unit u; rows() for u = units(). */
        int rowOf(int u) {
            return groups != null ? groups.unitRow(u) : u;
        }

        boolean sameCutAs(OneRow other) {
            return units() == other.units() && (groups == null) == (other.groups == null) && w.rows() == other.w.rows();
        }

        void run(int from, int to, float[] out, float[] scratch) {
            if (groups != null) groups.multiply(px, from, to, out);
            else rowProducts(w, px, from, to, out, scratch);
        }
    }

    /** x laid out as w's row kernels read it. */
    private static float[] prepared(Tensor w, float[] x) {
        float[] px = new float[w.cols()];
        RowKernels.prepare(w.dtype(), x, 0, w.cols(), px, 0);
        return px;
    }

    /**
     * out[o] = w[o] · x for o in [from, to), fused kernels, each weight row read once and dotted in registers: the rows
     * are cut into eight equal stretches walked side by side, eight memory streams instead of one.
     */
    private static void rowProducts(Tensor w, float[] px, int from, int to, float[] out, float[] scratch) {
        int cols = w.cols(), stretch = (to - from) / RowKernels.STREAMS;
        for (int o = from; o < from + stretch; o++) {
            RowKernels.dot8(w, (long) o * cols, (long) stretch * cols, px, 0, cols, scratch, out, o, stretch);
        }
        for (int o = from + RowKernels.STREAMS * stretch; o < to; o++) {
            out[o] = RowKernels.dot(w, (long) o * cols, px, 0, cols, scratch);
        }
    }

    /** A handful of activation rows: decode each weight row once into L1, dot it with every activation row. */
    private static void fewRows(Tensor w, float[] x, float[] out, int batch) {
        int rows = w.rows(), cols = w.cols();
        Parallel.forChunks(rows, 64, (from, to) -> {
            float[] row = new float[cols];
            for (int o = from; o < to; o++) {
                RowKernels.decode(w, (long) o * cols, row, 0, cols);
                int b = 0;
                for (; b + 4 <= batch; b += 4) VectorOps.dot4(row, 0, x, b * cols, cols, cols, out, b * rows + o, rows);
                for (; b < batch; b++) out[b * rows + o] = VectorOps.dot(row, 0, x, b * cols, cols);
            }
        });
    }

    /** Panels of wᵀ: panel[kk, jj] = w[n0 + jj, k0 + kk]; runs of NR weight rows are decoded, then transposed. */
    private static PackedGemm.PanelPacker transposedPanels(Tensor w) {
        int rows = w.rows(), cols = w.cols();
        return (n0, k0, kc, panel, scratch) -> {
            for (int jj = 0, width = Math.min(PackedGemm.NR, rows - n0); jj < width; jj++) {
                RowKernels.decode(w, (long) (n0 + jj) * cols + k0, scratch, jj * kc, kc);
            }
            PackedGemm.transposeRows(scratch, kc, panel);
        };
    }

    /**
     * dx[b, i] = Σ_o w[o, i] · dy[b, o] with dy [batch, out] and dx [batch, in] row-major: the product with wᵀ that
     * backpropagates through {@link #matmul}. Parallel over i.
     */
    public static void matmulTransposed(Tensor w, float[] dy, float[] dx, int batch) {
        int rows = w.rows(), cols = w.cols();
        if (dy.length < (long) batch * rows || dx.length < (long) batch * cols) {
            throw new IllegalArgumentException("matmulTransposed " + w.describe() + ": dy has " + dy.length
                    + " floats, dx " + dx.length + ", batch " + batch);
        }
        RowKernels.requireWholeBlocks(w);
        if (batch >= GEMM_MIN_ROWS) {
            // The panel of w for columns [n0, n0 + NR) is a slice of w's own rows: decoded in place, no transpose.
            int block = w.dtype().blockSize;
            PackedGemm.multiply(dy, batch, rows, (n0, k0, kc, panel, scratch) -> {
                int width = Math.min(PackedGemm.NR, cols - n0);
                if (n0 % block == 0 && width % block == 0) {
                    for (int kk = 0; kk < kc; kk++) {
                        RowKernels.decode(w, (long) (k0 + kk) * cols + n0, panel, kk * PackedGemm.NR, width);
                    }
                } else {
                    // Panels narrower than a quantized block (128-bit vectors): decode whole blocks, keep the slice.
                    int from = n0 - n0 % block, span = (n0 + width + block - 1) / block * block - from;
                    for (int kk = 0; kk < kc; kk++) {
                        RowKernels.decode(w, (long) (k0 + kk) * cols + from, scratch, 0, span);
                        System.arraycopy(scratch, n0 - from, panel, kk * PackedGemm.NR, width);
                    }
                }
            }, cols, dx);
            return;
        }
        // Few rows: each worker owns a column range and streams every weight row's slice of it once.
        int chunks = (cols + COLUMN_CHUNK - 1) / COLUMN_CHUNK;
        Parallel.forChunks(chunks, 1, (from, to) -> {
            int c0 = from * COLUMN_CHUNK, c1 = Math.min(cols, to * COLUMN_CHUNK), width = c1 - c0;
            for (int b = 0; b < batch; b++) Arrays.fill(dx, b * cols + c0, b * cols + c1, 0f);
            float[] slice = new float[width];
            for (int o = 0; o < rows; o++) {
                RowKernels.decode(w, (long) o * cols + c0, slice, 0, width);
                for (int b = 0; b < batch; b++) VectorOps.axpy(dy[b * rows + o], slice, 0, dx, b * cols + c0, width);
            }
        });
    }

    /**
     * General f32 product of activations: out[r, j] = Σ_k a[r, k] · B[k, j] for r < aRows, with a [aRows, inner].
     * b holds B as [inner, n] row-major, or when {@code bTransposed} as [n, inner] (out = a · bᵀ, e.g. attention
     * scores q · kᵀ); n = b.length / inner. out is [aRows, n] row-major.
     */
    public static void matmulF32(float[] a, int aRows, int inner, float[] b, boolean bTransposed, float[] out) {
        if (inner <= 0 || b.length % inner != 0) {
            throw new IllegalArgumentException("matmulF32: b has " + b.length + " floats, not a multiple of inner " + inner);
        }
        int n = b.length / inner;
        if (a.length < (long) aRows * inner || out.length < (long) aRows * n) {
            throw new IllegalArgumentException("matmulF32: a has " + a.length + " floats, out " + out.length
                    + ", for [" + aRows + ", " + inner + "] x [" + inner + ", " + n + "]");
        }
        if (aRows >= GEMM_MIN_ROWS) {
            PackedGemm.PanelPacker panels = bTransposed
                    ? (n0, k0, kc, panel, scratch) -> {
                        for (int jj = 0, width = Math.min(PackedGemm.NR, n - n0); jj < width; jj++) {
                            System.arraycopy(b, (n0 + jj) * inner + k0, scratch, jj * kc, kc);
                        }
                        PackedGemm.transposeRows(scratch, kc, panel);
                    }
                    : (n0, k0, kc, panel, scratch) -> {
                        int width = Math.min(PackedGemm.NR, n - n0);
                        for (int kk = 0; kk < kc; kk++) {
                            System.arraycopy(b, (k0 + kk) * n + n0, panel, kk * PackedGemm.NR, width);
                        }
                    };
            PackedGemm.multiply(a, aRows, inner, panels, n, out);
        } else if (bTransposed) {
            Parallel.forChunks(n, 64, (from, to) -> {
                for (int j = from; j < to; j++) {
                    for (int r = 0; r < aRows; r++) out[r * n + j] = VectorOps.dot(a, r * inner, b, j * inner, inner);
                }
            });
        } else {
            int chunks = (n + COLUMN_CHUNK - 1) / COLUMN_CHUNK;
            Parallel.forChunks(chunks, 1, (from, to) -> {
                int c0 = from * COLUMN_CHUNK, c1 = Math.min(n, to * COLUMN_CHUNK);
                for (int r = 0; r < aRows; r++) {
                    Arrays.fill(out, r * n + c0, r * n + c1, 0f);
                    for (int k = 0; k < inner; k++) VectorOps.axpy(a[r * inner + k], b, k * n + c0, out, r * n + c0, c1 - c0);
                }
            });
        }
    }
}
