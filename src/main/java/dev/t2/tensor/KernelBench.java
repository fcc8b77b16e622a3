package dev.t2.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import jdk.incubator.vector.FloatVector;

/**
 * Throughput of {@link MatMul} on Qwen2.5-0.5B-sized matrices for every dtype, against the machine's measured read
 * bandwidth. Run: {@code java --add-modules jdk.incubator.vector -cp target/classes dev.t2.tensor.KernelBench}.
 *
 * <p>Batch 1 (decode) is reported as GB/s of weight bytes streamed, with enough copies of the matrix cycled that
 * they come from RAM as in a real forward pass ("cold"), and for one matrix repeated ("hot", cache-resident when it
 * fits the last-level cache), and beside them the same cold access pattern with loads and adds only: the ceiling the
 * kernels' arithmetic is measured against. Batch 512 (prefill) is reported as tokens/s and compared with 512 batch-1 calls on the
 * same matrix, cold and hot. Every figure is the best of several repetitions and passes: the machine is shared.
 */
public final class KernelBench {
    private KernelBench() {}

    private static final int[][] SHAPES = {{4864, 896}, {896, 4864}, {151936, 896}};
    private static final long COLD_WORKING_SET = 768L << 20;
    private static final int PREFILL = 512;

    /** Args: [dtype] [passes]; every figure is the best over all passes (default 3). */
    public static void main(String[] args) {
        DType only = args.length > 0 && !args[0].equals("all") ? DType.valueOf(args[0]) : null;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // Bandwidth is measured before every pass and after the last, best kept: a neighbour's burst during one
        // measurement must not set the bar, just as it must not set a kernel's figure.
        double bandwidth = 0;
        Map<String, double[]> best = new LinkedHashMap<>();
        Random rnd = new Random(1);
        for (int pass = 0; pass < passes; pass++) {
            bandwidth = Math.max(bandwidth, MemoryBandwidth.measureGBs());
            for (DType t : DType.values()) {
                if (only != null && t != only) continue;
                for (int[] shape : SHAPES) {
                    try (Arena arena = Arena.ofShared()) {
                        double[] r = benchShape(arena, t, shape[0], shape[1], rnd);
                        best.merge(t + " " + shape[0] + "x" + shape[1], r, KernelBench::better);
                    }
                }
            }
        }
        double bw = Math.max(bandwidth, MemoryBandwidth.measureGBs());
        System.out.printf("memory read bandwidth: %.1f GB/s (1 GiB off-heap, all cores, best of %d x 7 passes)%n",
                bw, passes + 1);
        System.out.printf("batch 1: GB/s of weights; cold = %d MiB of copies cycled (from RAM), hot = one copy"
                + " repeated (cache-resident if it fits); loads = the cold access pattern with no arithmetic (the kernels'"
                + " ceiling); batch %d vs %d batch-1 calls, best of %d runs%n%n",
                COLD_WORKING_SET >> 20, PREFILL, PREFILL, passes);
        System.out.printf("%-5s %-12s %9s %7s %9s %10s %7s | %10s %8s %10s %10s %8s%n", "dtype", "shape", "cold GB/s", "of bw",
                "hot GB/s", "loads GB/s", "of bw", "b512 tok/s", "GFLOPS", "vs cold b1", "vs hot b1", "b512 ms");
        best.forEach((key, r) -> {
            String[] k = key.split(" ");
            double coldGBs = r[0] / r[2], hotGBs = r[0] / r[3], loadsGBs = r[0] / r[5];
            System.out.printf("%-5s %-12s %9.1f %6.0f%% %9.1f %10.1f %6.0f%% | %10.0f %8.1f %9.1fx %9.1fx %8.1f%n", k[0], k[1],
                    coldGBs, 100 * coldGBs / bw, hotGBs, loadsGBs, 100 * loadsGBs / bw, PREFILL / r[4] * 1e9, r[1] / r[4],
                    PREFILL * r[2] / r[4], PREFILL * r[3] / r[4], r[4] / 1e6);
        });
    }

    /** Elementwise: same sizes, least time. */
    private static double[] better(double[] a, double[] b) {
        return new double[] {a[0], a[1], Math.min(a[2], b[2]), Math.min(a[3], b[3]), Math.min(a[4], b[4]), Math.min(a[5], b[5])};
    }

    /** {weight bytes, batch-512 flops, best cold batch-1 ns, best hot batch-1 ns, best batch-512 ns, best cold loads-only ns}. */
    private static double[] benchShape(Arena arena, DType t, int rows, int cols, Random rnd) {
        long bytes = t.byteSize((long) rows * cols);
        int copies = (int) Math.max(1, Math.min(64, COLD_WORKING_SET / bytes));
        Tensor[] ws = new Tensor[copies];
        MemorySegment pattern = pattern(t, rnd);
        for (int c = 0; c < copies; c++) {
            MemorySegment seg = arena.allocate(bytes, 64);
            for (long p = 0; p < bytes; p += pattern.byteSize()) {
                MemorySegment.copy(pattern, 0, seg, p, Math.min(pattern.byteSize(), bytes - p));
            }
            ws[c] = new Tensor(t + "[" + rows + "x" + cols + "]#" + c, t, new long[] {rows, cols}, seg);
        }
        float[] x1 = gaussians(cols, rnd), out1 = new float[rows];
        int reps = (int) Math.max(10, Math.min(60, (8L << 30) / (bytes * copies)));
        double coldNanos = Double.MAX_VALUE, hotNanos = Double.MAX_VALUE, loadsNanos = Double.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime();
            for (Tensor w : ws) MatMul.matmul(w, x1, out1, 1);
            coldNanos = Math.min(coldNanos, (double) (System.nanoTime() - start) / copies);
            start = System.nanoTime();
            for (Tensor w : ws) loadsOnly(w);
            loadsNanos = Math.min(loadsNanos, (double) (System.nanoTime() - start) / copies);
            start = System.nanoTime();
            for (int c = 0; c < copies; c++) MatMul.matmul(ws[0], x1, out1, 1);
            hotNanos = Math.min(hotNanos, (double) (System.nanoTime() - start) / copies);
        }
        float[] xs = gaussians(PREFILL * cols, rnd), outs = new float[PREFILL * rows];
        double prefillNanos = Double.MAX_VALUE;
        long flops = 2L * PREFILL * rows * cols;
        int prefillReps = flops > 50_000_000_000L ? 3 : 8;
        for (int r = 0; r < prefillReps; r++) {
            long start = System.nanoTime();
            MatMul.matmul(ws[0], xs, outs, PREFILL);
            prefillNanos = Math.min(prefillNanos, System.nanoTime() - start);
        }
        return new double[] {bytes, flops, coldNanos, hotNanos, prefillNanos, loadsNanos};
    }

    // Keeps the loads-only sums observable so the JIT cannot drop the loads.
    private static volatile float sink;

    /**
     * The ceiling of the batch-1 kernels' access pattern: the rows split across threads and walked as eight stretches
     * side by side as {@link MatMul} does, but each 64-byte line only loaded and added (no decoding, no products, one
     * lane sum per row). What the kernels lose beyond this is their arithmetic. For a matrix with a
     * {@link Bf16RowGroups} copy (what its one-row products read) that copy is walked, a group of rows as one row.
     */
    private static void loadsOnly(Tensor w) {
        Bf16RowGroups groups = Bf16RowGroups.of(w);
        if (groups != null) {
            loadsOnly(groups.data, groups.groups, groups.data.byteSize() / groups.groups);
        } else {
            loadsOnly(w.data(), w.rows(), w.dtype().byteSize(w.cols()));
        }
    }

    private static void loadsOnly(MemorySegment seg, int rows, long rowBytes) {
        long step = Species.F.vectorByteSize();
        Parallel.forChunks(rows, 8, (from, to) -> {
            int stretch = (to - from) / 8;
            float total = 0;
            for (int o = from; o < from + stretch; o++) {
                long p0 = o * rowBytes, stride = stretch * rowBytes;
                FloatVector z = FloatVector.zero(Species.F), a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
                for (long p = p0, end = p0 + rowBytes - step; p <= end; p += step) {
                    a0 = a0.add(FloatVector.fromMemorySegment(Species.F, seg, p, ByteOrder.LITTLE_ENDIAN));
                    a1 = a1.add(FloatVector.fromMemorySegment(Species.F, seg, p + stride, ByteOrder.LITTLE_ENDIAN));
                    a2 = a2.add(FloatVector.fromMemorySegment(Species.F, seg, p + 2 * stride, ByteOrder.LITTLE_ENDIAN));
                    a3 = a3.add(FloatVector.fromMemorySegment(Species.F, seg, p + 3 * stride, ByteOrder.LITTLE_ENDIAN));
                    a4 = a4.add(FloatVector.fromMemorySegment(Species.F, seg, p + 4 * stride, ByteOrder.LITTLE_ENDIAN));
                    a5 = a5.add(FloatVector.fromMemorySegment(Species.F, seg, p + 5 * stride, ByteOrder.LITTLE_ENDIAN));
                    a6 = a6.add(FloatVector.fromMemorySegment(Species.F, seg, p + 6 * stride, ByteOrder.LITTLE_ENDIAN));
                    a7 = a7.add(FloatVector.fromMemorySegment(Species.F, seg, p + 7 * stride, ByteOrder.LITTLE_ENDIAN));
                }
                total += Species.sum(a0) + Species.sum(a1) + Species.sum(a2) + Species.sum(a3) + Species.sum(a4)
                        + Species.sum(a5) + Species.sum(a6) + Species.sum(a7);
            }
            sink = total;
        });
    }

    /** About 1 MiB of random weights in dtype t, whole quantized blocks with sane scales, to tile matrices with. */
    private static MemorySegment pattern(DType t, Random rnd) {
        int blocks = (1 << 20) / t.blockBytes;
        MemorySegment seg = MemorySegment.ofArray(new byte[blocks * t.blockBytes]);
        for (int b = 0; b < blocks; b++) {
            long at = (long) b * t.blockBytes;
            switch (t) {
                case F32 -> seg.set(Tensor.F32_LE, at, (float) rnd.nextGaussian());
                case F16 -> seg.set(Tensor.I16_LE, at, Float.floatToFloat16((float) rnd.nextGaussian()));
                case BF16 -> seg.set(Tensor.I16_LE, at, Floats.toBf16((float) rnd.nextGaussian()));
                case Q8_0, Q4_0 -> {
                    seg.set(Tensor.I16_LE, at, Float.floatToFloat16(0.01f + 0.05f * rnd.nextFloat()));
                    for (int j = 2; j < t.blockBytes; j++) seg.set(ValueLayout.JAVA_BYTE, at + j, (byte) rnd.nextInt());
                }
            }
        }
        return seg;
    }

    private static float[] gaussians(int n, Random rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }
}
