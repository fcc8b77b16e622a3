package dev.t2.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every fast product against {@link ScalarKernels} (double accumulation) on random data. The fast kernels sum in
 * f32 in a different order, so each output may differ by at most {@value #REL} · Σ|w·x| over its own terms (plus
 * a denormal-sized floor): far above f32 rounding for these lengths, far below any indexing or decoding error.
 */
class MatMulTest {

    static final double REL = 1e-5;
    static final int[] ROWS = {1, 3, 17, 70};
    static final int[] FLOAT_COLS = {1, 7, 31, 33, 100, 300};
    // Quantized rows are whole 32-element blocks: 1, 2, 3, 5 and 9 blocks hit the paired and single-block paths.
    static final int[] QUANT_COLS = {32, 64, 96, 160, 288};
    static final int[] BATCHES = {1, 2, 5, 13, 64};

    @Test
    void matmulMatchesScalarForEveryDtypeAndShape() {
        Random rnd = new Random(42);
        for (DType t : DType.values()) {
            for (int rows : ROWS) {
                for (int cols : t.isQuantized() ? QUANT_COLS : FLOAT_COLS) {
                    Tensor w = randomTensor(t, rows, cols, rnd);
                    for (int batch : BATCHES) checkMatmul(w, batch, rnd);
                }
            }
        }
    }

    /**
     * A row's dot product is the same float whether the eight-row kernel or the one-row kernel computed it, so how
     * the rows of a matrix were split across threads (it depends on the core count) never changes a result.
     */
    @Test
    void oneRowAndEightRowKernelsAgreeBitForBit() {
        Random rnd = new Random(11);
        for (DType t : DType.values()) {
            for (int cols : t.isQuantized() ? new int[] {32, 64, 96, 160, 1120} : new int[] {1, 7, 31, 32, 33, 64, 100, 300, 1100}) {
                Tensor w = randomTensor(t, 8, cols, rnd);
                float[] x = gaussians(cols, rnd), px = new float[cols], scratch = new float[RowKernels.scratchSize(t)];
                RowKernels.prepare(t, x, 0, cols, px, 0);
                float[] eight = new float[8];
                RowKernels.dot8(w, 0, cols, px, 0, cols, scratch, eight, 0, 1);
                for (int r = 0; r < 8; r++) {
                    float one = RowKernels.dot(w, (long) r * cols, px, 0, cols, scratch);
                    assertThat(Float.floatToRawIntBits(eight[r])).as("%s, %d columns, row %d", t, cols, r)
                            .isEqualTo(Float.floatToRawIntBits(one));
                }
            }
        }
    }

    /** One job over several matrices gives each matrix's own product, and the element-wise step sees every row once. */
    @Test
    void sharedInputProductsMatchSeparateProducts() {
        Random rnd = new Random(5);
        for (DType t : DType.values()) {
            int cols = t.isQuantized() ? 288 : 300;
            Tensor q = randomTensor(t, 700, cols, rnd), k = randomTensor(t, 100, cols, rnd), v = randomTensor(t, 100, cols, rnd);
            for (int batch : new int[] {1, 3, 20}) {
                float[] x = gaussians(batch * cols, rnd);
                float[][] outs = {new float[batch * 700], new float[batch * 100], new float[batch * 100]};
                MatMul.matmulShared(new Tensor[] {q, k, v}, x, outs, batch, null);
                Tensor[] ws = {q, k, v};
                for (int m = 0; m < 3; m++) {
                    float[] separate = new float[outs[m].length];
                    MatMul.matmul(ws[m], x, separate, batch);
                    assertThat(outs[m]).as("%s matrix %d batch %d", t, m, batch).containsExactly(separate);
                }
                Tensor gate = randomTensor(t, 700, cols, rnd);
                float[] g = new float[batch * 700], u = new float[batch * 700];
                int[] visits = new int[batch * 700];
                MatMul.matmulShared(new Tensor[] {gate, q}, x, new float[][] {g, u}, batch, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        visits[i]++;
                        g[i] *= u[i];
                    }
                });
                float[] gs = new float[g.length], us = new float[g.length];
                MatMul.matmul(gate, x, gs, batch);
                MatMul.matmul(q, x, us, batch);
                for (int i = 0; i < g.length; i++) gs[i] *= us[i];
                assertThat(visits).as("every output once").containsOnly(1);
                assertThat(g).as("%s gated, batch %d", t, batch).containsExactly(gs);
            }
        }
    }

    @Test
    void sharedInputProductsRefuseMismatchedShapes() {
        Random rnd = new Random(6);
        Tensor a = randomTensor(DType.F32, 8, 16, rnd), wide = randomTensor(DType.F32, 8, 20, rnd), tall = randomTensor(DType.F32, 9, 16, rnd);
        float[] x = new float[20];
        assertThatThrownBy(() -> MatMul.matmulShared(new Tensor[] {a, wide}, x, new float[][] {new float[8], new float[8]}, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not read the 16 inputs");
        assertThatThrownBy(() -> MatMul.matmulShared(new Tensor[] {a, tall}, x, new float[][] {new float[8], new float[9]}, 1, (f, t) -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows");
        assertThatThrownBy(() -> MatMul.matmulShared(new Tensor[] {a}, x, new float[][] {new float[7]}, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out 7");
    }

    @Test
    void matmulHandlesLongRowsSpanningSeveralPanelsAndChunks() {
        Random rnd = new Random(7);
        // 1100 columns: several f16 decode chunks and five panel depths; 130 rows: a partial third panel.
        for (DType t : DType.values()) {
            Tensor w = randomTensor(t, 130, t.isQuantized() ? 1120 : 1100, rnd);
            for (int batch : new int[] {1, 3, 8, 31}) checkMatmul(w, batch, rnd);
        }
    }

    @Test
    void matmulReadsOffHeapSegmentsLikeMappedWeights() {
        Random rnd = new Random(3);
        for (DType t : DType.values()) {
            Tensor heap = randomTensor(t, 33, 96, rnd);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment native_ = arena.allocate(heap.data().byteSize(), 64);
                native_.copyFrom(heap.data());
                Tensor w = new Tensor("w", t, new long[] {33, 96}, native_);
                for (int batch : new int[] {1, 4, 9}) checkMatmul(w, batch, rnd);
            }
        }
    }

    @Test
    void matmulTransposedMatchesScalarForEveryDtypeAndShape() {
        Random rnd = new Random(43);
        for (DType t : DType.values()) {
            for (int rows : ROWS) {
                for (int cols : t.isQuantized() ? QUANT_COLS : FLOAT_COLS) {
                    Tensor w = randomTensor(t, rows, cols, rnd);
                    for (int batch : BATCHES) checkTransposed(w, batch, rnd);
                }
            }
            Tensor wide = randomTensor(t, 300, t.isQuantized() ? 544 : 530, rnd);
            for (int batch : new int[] {1, 7, 13}) checkTransposed(wide, batch, rnd);
        }
    }

    @Test
    void matmulF32MatchesScalarWithAndWithoutTransposedB() {
        Random rnd = new Random(44);
        for (boolean transposed : new boolean[] {false, true}) {
            for (int aRows : new int[] {1, 2, 5, 13, 64}) {
                for (int inner : new int[] {1, 7, 31, 33, 100, 300}) {
                    for (int n : new int[] {1, 3, 17, 70}) {
                        float[] a = gaussians(aRows * inner, rnd);
                        float[] b = gaussians(inner * n, rnd);
                        float[] fast = new float[aRows * n], ref = new float[aRows * n];
                        MatMul.matmulF32(a, aRows, inner, b, transposed, fast);
                        ScalarKernels.matmulF32(a, aRows, inner, b, transposed, ref);
                        for (int r = 0; r < aRows; r++) {
                            for (int j = 0; j < n; j++) {
                                double mag = 0;
                                for (int k = 0; k < inner; k++) {
                                    mag += Math.abs(a[r * inner + k] * (transposed ? b[j * inner + k] : b[k * n + j]));
                                }
                                assertThat((double) fast[r * n + j])
                                        .as("matmulF32 transposed=%s [%d,%d]x[%d,%d] at (%d,%d)", transposed, aRows, inner, inner, n, r, j)
                                        .isCloseTo(ref[r * n + j], org.assertj.core.data.Offset.offset(REL * mag + 1e-30));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void decodingIsBitExactForEveryDtype() {
        Random rnd = new Random(5);
        for (DType t : DType.values()) {
            int n = t.isQuantized() ? 320 : 333;
            Tensor w = randomTensor(t, 1, n, rnd);
            float[] decoded = new float[n];
            RowKernels.decode(w, 0, decoded, 0, n);
            for (int i = 0; i < n; i++) assertThat(decoded[i]).as("%s[%d]", t, i).isEqualTo(w.getFloat(i));
        }
    }

    @Test
    void f16DecodingKeepsSubnormalsInfinitiesAndNaN() {
        short[] bits = {0x0000, (short) 0x8000, 0x0001, 0x03FF, (short) 0x83FF, 0x0400, 0x3C00, 0x7BFF,
                        0x7C00, (short) 0xFC00, 0x7E00, 0x7C01, (short) 0xFFFF};
        MemorySegment seg = MemorySegment.ofArray(new byte[bits.length * 2]);
        for (int i = 0; i < bits.length; i++) seg.set(Tensor.I16_LE, 2L * i, bits[i]);
        Tensor w = new Tensor("w", DType.F16, new long[] {bits.length}, seg);
        float[] decoded = new float[bits.length];
        RowKernels.decode(w, 0, decoded, 0, bits.length);
        for (int i = 0; i < bits.length; i++) {
            assertThat(Float.floatToRawIntBits(decoded[i])).as("f16 %04x", bits[i])
                    .isEqualTo(Float.floatToRawIntBits(Float.float16ToFloat(bits[i])));
        }
    }

    @Test
    void quantizedRowsMustBeWholeBlocks() {
        Tensor w = new Tensor("blk.0.ffn_up.weight", DType.F32, new long[] {2, 40}, MemorySegment.ofArray(new byte[320]));
        MatMul.matmul(w, new float[40], new float[2], 1);
        Tensor q = new Tensor("blk.0.ffn_up.weight", DType.Q8_0, new long[] {4, 40}, MemorySegment.ofArray(new byte[5 * 34]));
        assertThatThrownBy(() -> MatMul.matmul(q, new float[40], new float[4], 1))
                .hasMessageContaining("blk.0.ffn_up.weight").hasMessageContaining("whole Q8_0 blocks");
    }

    private static void checkMatmul(Tensor w, int batch, Random rnd) {
        int rows = w.rows(), cols = w.cols();
        float[] x = gaussians(batch * cols, rnd);
        float[] fast = new float[batch * rows], ref = new float[batch * rows];
        MatMul.matmul(w, x, fast, batch);
        ScalarKernels.matmul(w, x, ref, batch);
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < rows; o++) {
                double mag = 0;
                for (int i = 0; i < cols; i++) mag += Math.abs(w.getFloat((long) o * cols + i) * x[b * cols + i]);
                assertThat((double) fast[b * rows + o]).as("matmul %s batch %d at (%d,%d)", w.describe(), batch, b, o)
                        .isCloseTo(ref[b * rows + o], org.assertj.core.data.Offset.offset(REL * mag + 1e-30));
            }
        }
    }

    private static void checkTransposed(Tensor w, int batch, Random rnd) {
        int rows = w.rows(), cols = w.cols();
        float[] dy = gaussians(batch * rows, rnd);
        float[] fast = gaussians(batch * cols, rnd), ref = new float[batch * cols];
        MatMul.matmulTransposed(w, dy, fast, batch);
        ScalarKernels.matmulTransposed(w, dy, ref, batch);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < cols; i++) {
                double mag = 0;
                for (int o = 0; o < rows; o++) mag += Math.abs(w.getFloat((long) o * cols + i) * dy[b * rows + o]);
                assertThat((double) fast[b * cols + i]).as("matmulTransposed %s batch %d at (%d,%d)", w.describe(), batch, b, i)
                        .isCloseTo(ref[b * cols + i], org.assertj.core.data.Offset.offset(REL * mag + 1e-30));
            }
        }
    }

    static float[] gaussians(int n, Random rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }

    /** A [rows, cols] tensor of random weights in dtype t; quantized ones go through {@link TestQuantizer}. */
    static Tensor randomTensor(DType t, int rows, int cols, Random rnd) {
        float[] v = gaussians(rows * cols, rnd);
        return switch (t) {
            case F32, F16, BF16 -> Tensor.encode("w", t, v, rows, cols);
            case Q8_0 -> new Tensor("w", t, new long[] {rows, cols}, MemorySegment.ofArray(TestQuantizer.q8_0(v)));
            case Q4_0 -> new Tensor("w", t, new long[] {rows, cols}, MemorySegment.ofArray(TestQuantizer.q4_0(v)));
        };
    }

    /** ggml's reference quantizers (quantize_row_q8_0_ref / quantize_row_q4_0_ref), enough to build test tensors. */
    private static final class TestQuantizer {
        static byte[] q8_0(float[] v) {
            byte[] out = new byte[v.length / 32 * 34];
            MemorySegment seg = MemorySegment.ofArray(out);
            for (int b = 0; b < v.length / 32; b++) {
                float amax = 0;
                for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(v[32 * b + j]));
                float d = amax / 127, id = d != 0 ? 1 / d : 0;
                seg.set(Tensor.I16_LE, 34L * b, Float.floatToFloat16(d));
                for (int j = 0; j < 32; j++) {
                    seg.set(ValueLayout.JAVA_BYTE, 34L * b + 2 + j, (byte) Math.round(v[32 * b + j] * id));
                }
            }
            return out;
        }

        static byte[] q4_0(float[] v) {
            byte[] out = new byte[v.length / 32 * 18];
            MemorySegment seg = MemorySegment.ofArray(out);
            for (int b = 0; b < v.length / 32; b++) {
                float amax = 0, max = 0;
                for (int j = 0; j < 32; j++) {
                    float x = v[32 * b + j];
                    if (Math.abs(x) > amax) {
                        amax = Math.abs(x);
                        max = x;
                    }
                }
                float d = max / -8, id = d != 0 ? 1 / d : 0;
                seg.set(Tensor.I16_LE, 18L * b, Float.floatToFloat16(d));
                for (int j = 0; j < 16; j++) {
                    int lo = Math.min(15, (int) (v[32 * b + j] * id + 8.5f));
                    int hi = Math.min(15, (int) (v[32 * b + 16 + j] * id + 8.5f));
                    seg.set(ValueLayout.JAVA_BYTE, 18L * b + 2 + j, (byte) (lo | hi << 4));
                }
            }
            return out;
        }
    }
}
