package dev.t2.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The regrouped bf16 layout against a scalar sum in its own fixed order (even columns, odd columns, then added, each
 * with fused multiply-adds): equal bit for bit, so no padding, group or pair is misplaced, and no split of the work
 * changes a result.
 */
class Bf16RowGroupsTest {

    /** Row o of w · x summed as the regrouped kernels sum it, one scalar at a time. */
    private static float scalarInKernelOrder(Tensor w, int o, float[] x) {
        int cols = w.cols();
        float even = 0, odd = 0;
        for (int c = 0; c < cols; c += 2) {
            even = Math.fma(w.getFloat((long) o * cols + c), x[c], even);
            if (c + 1 < cols) odd = Math.fma(w.getFloat((long) o * cols + c + 1), x[c + 1], odd);
        }
        return even + odd;
    }

    @Test
    void everyRowMatchesTheScalarSumInTheKernelsOrderWhateverTheSplit() {
        Random rnd = new Random(3);
        int group = Bf16RowGroups.GROUP, run = Bf16RowGroups.WALKS * group;
        // Rows: less than a group, a group and a bit, whole runs, runs plus a partial run; odd and even columns.
        int[][] shapes = {{5, 7}, {group + 1, 2}, {2 * run, 64}, {3 * run + group + 3, 33}, {700, 301}, {97, 1}};
        for (int[] shape : shapes) {
            int rows = shape[0], cols = shape[1];
            Tensor w = MatMulTest.randomTensor(DType.BF16, rows, cols, rnd);
            float[] x = MatMulTest.gaussians(cols, rnd);
            Bf16RowGroups groups = Bf16RowGroups.regroup(w);
            float[] px = groups.prepare(x);
            float[] whole = new float[rows];
            groups.multiply(px, 0, groups.units(), whole);
            // Split unit by unit, as many cores would: the same bits.
            float[] piecewise = new float[rows];
            for (int u = 0; u < groups.units(); u++) groups.multiply(px, u, u + 1, piecewise);
            for (int o = 0; o < rows; o++) {
                int expected = Float.floatToRawIntBits(scalarInKernelOrder(w, o, x));
                assertThat(Float.floatToRawIntBits(whole[o])).as("%dx%d row %d", rows, cols, o).isEqualTo(expected);
                assertThat(Float.floatToRawIntBits(piecewise[o])).as("%dx%d row %d split", rows, cols, o).isEqualTo(expected);
            }
        }
    }

    @Test
    void oneRowProductsOfLargeBf16MatricesGoThroughTheRegroupedCopy() {
        Random rnd = new Random(8);
        int rows = 300, cols = 450; // 270,000 bytes: just above the size from which matrices are regrouped
        Tensor w = MatMulTest.randomTensor(DType.BF16, rows, cols, rnd);
        assertThat(w.data().byteSize()).isGreaterThanOrEqualTo(Bf16RowGroups.MIN_BYTES);
        float[] x = MatMulTest.gaussians(cols, rnd), out = new float[rows];
        MatMul.matmul(w, x, out, 1);
        assertThat(Bf16RowGroups.of(w)).as("regrouped copy kept for the next token").isSameAs(Bf16RowGroups.of(w));
        for (int o = 0; o < rows; o++) {
            assertThat(Float.floatToRawIntBits(out[o])).as("row %d", o)
                    .isEqualTo(Float.floatToRawIntBits(scalarInKernelOrder(w, o, x)));
        }
        Tensor small = MatMulTest.randomTensor(DType.BF16, 100, 100, rnd);
        assertThat(Bf16RowGroups.of(small)).as("small matrices keep their layout").isNull();
        assertThat(Bf16RowGroups.of(MatMulTest.randomTensor(DType.F32, rows, cols, rnd))).as("only bf16").isNull();
    }

    /** q/k/v-like matrices where only some are regrouped, with the element-wise step: each matrix's own product. */
    @Test
    void sharedInputProductsMixRegroupedAndStoredLayouts() {
        Random rnd = new Random(9);
        int cols = 448;
        Tensor gate = MatMulTest.randomTensor(DType.BF16, 400, cols, rnd), up = MatMulTest.randomTensor(DType.BF16, 400, cols, rnd);
        Tensor upF32 = MatMulTest.randomTensor(DType.F32, 400, cols, rnd), k = MatMulTest.randomTensor(DType.BF16, 64, cols, rnd);
        float[] x = MatMulTest.gaussians(cols, rnd);
        for (Tensor[] ws : new Tensor[][] {{gate, up}, {gate, upF32}}) {
            float[] g = new float[400], u = new float[400], expectedG = new float[400], expectedU = new float[400];
            MatMul.matmul(ws[0], x, expectedG, 1);
            MatMul.matmul(ws[1], x, expectedU, 1);
            int[] seen = new int[400];
            float[] product = new float[400];
            MatMul.matmulShared(ws, x, new float[][] {g, u}, 1, (from, to) -> {
                for (int o = from; o < to; o++) {
                    seen[o]++;
                    product[o] = g[o] * u[o];
                }
            });
            assertThat(g).isEqualTo(expectedG);
            assertThat(u).isEqualTo(expectedU);
            for (int o = 0; o < 400; o++) {
                assertThat(seen[o]).as("row %d visited once", o).isEqualTo(1);
                assertThat(product[o]).as("row %d after both products", o).isEqualTo(expectedG[o] * expectedU[o]);
            }
        }
        float[] q = new float[400], kk = new float[64], expectedK = new float[64];
        MatMul.matmul(k, x, expectedK, 1);
        MatMul.matmulShared(new Tensor[] {gate, k}, x, new float[][] {q, kk}, 1, null);
        assertThat(kk).isEqualTo(expectedK);
    }

    /** Once a matrix has its regrouped copy, many-row products read their panels from it, with the same bits. */
    @Test
    void manyRowProductsReadTheRegroupedCopyWithTheSameResults() {
        Random rnd = new Random(12);
        for (int[] shape : new int[][] {{300, 451}, {257, 600}}) { // odd columns; rows not whole panels
            int rows = shape[0], cols = shape[1], batch = 20;
            Tensor w = MatMulTest.randomTensor(DType.BF16, rows, cols, rnd);
            float[] x = MatMulTest.gaussians(batch * cols, rnd), fromRows = new float[batch * rows], fromGroups = new float[batch * rows];
            assertThat(Bf16RowGroups.existing(w)).isNull();
            MatMul.matmul(w, x, fromRows, batch);
            MatMul.matmul(w, x, new float[rows], 1);
            assertThat(Bf16RowGroups.existing(w)).as("made by the one-row product").isNotNull();
            MatMul.matmul(w, x, fromGroups, batch);
            assertThat(fromGroups).as("%dx%d", rows, cols).isEqualTo(fromRows);
        }
    }

    /**
     * In a JVM whose off-heap limit cannot hold the copy, a one-row product says so once on stderr and gives the same
     * result from the stored layout.
     */
    @Test
    void withoutMemoryForTheCopyProductsUseTheStoredLayout() throws Exception {
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-XX:MaxDirectMemorySize=1m", "-cp", System.getProperty("java.class.path"),
                OutOfMemoryMain.class.getName()).start();
        String out = new String(p.getInputStream().readAllBytes()), err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor()).as(err).isZero();
        assertThat(out.strip()).isEqualTo("same");
        assertThat(err).contains("no memory for a regrouped copy of w BF16[1024, 1024]").contains("-Dt2.regroup=false");
        assertThat(err.split("no memory for a regrouped copy", -1)).as("said once").hasSize(2);
    }

    /** Run by the test above in a JVM with 1 MiB of off-heap memory: two products of a 2 MiB bf16 matrix. */
    public static final class OutOfMemoryMain {
        public static void main(String[] args) {
            Random rnd = new Random(4);
            Tensor w = MatMulTest.randomTensor(DType.BF16, 1024, 1024, rnd);
            float[] x = MatMulTest.gaussians(1024, rnd), first = new float[1024], second = new float[1024], ref = new float[1024];
            MatMul.matmul(w, x, first, 1);
            MatMul.matmul(w, x, second, 1);
            Bf16RowGroups.regroup(MatMulTest.randomTensor(DType.BF16, 10, 10, rnd)); // small copies still fit
            ScalarKernels.matmul(w, x, ref, 1);
            boolean close = true;
            for (int o = 0; o < 1024; o++) close &= Math.abs(first[o] - ref[o]) <= 1e-3 * (1 + Math.abs(ref[o]));
            System.out.println(close && java.util.Arrays.equals(first, second) && Bf16RowGroups.existing(w) == null ? "same" : "differs");
        }
    }
}
