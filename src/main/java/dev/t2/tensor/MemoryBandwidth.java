package dev.t2.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's achievable read bandwidth as seen from Java: the yardstick for weight-streaming kernels.
 *
 * <p>Method: allocate a 1 GiB off-heap segment (far larger than any last-level cache), write every page so it is
 * really backed by RAM (untouched pages all map to one shared zero page and would read at cache speed), then sum it
 * with {@link FloatVector#fromMemorySegment} loads, each slice as eight stretches read side by side into eight
 * accumulators: the same access pattern the matvec kernels use (eight rows at once). The 16 MiB slices are spread
 * over all cores by {@link Parallel}; the result is the best of several full passes, in GB/s (10⁹ bytes per
 * second).
 */
public final class MemoryBandwidth {
    private MemoryBandwidth() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final long DEFAULT_BYTES = 1L << 30;
    private static final int DEFAULT_PASSES = 7;
    private static final long SLICE_BYTES = 16L << 20;
    private static final int STREAMS = 8;
    // Keeps the sums observable so the JIT cannot drop the loads.
    private static volatile float sink;

    /** Best-of-7 read bandwidth over 1 GiB, all cores. */
    public static double measureGBs() {
        return measureGBs(DEFAULT_BYTES, DEFAULT_PASSES);
    }

    /** Best-of-{@code passes} read bandwidth over {@code bytes} of off-heap memory, all cores. */
    public static double measureGBs(long bytes, int passes) {
        // Slices are whole groups of eight vectors, the unit of the summing loop.
        long unit = (long) STREAMS * F.vectorByteSize();
        long sliceBytes = Math.max(unit, Math.min(SLICE_BYTES, bytes) / unit * unit);
        int slices = Math.toIntExact(Math.max(1, bytes / sliceBytes));
        long total = slices * sliceBytes;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment segment = arena.allocate(total, 64);
            Parallel.forChunks(slices, 1, (from, to) -> {
                for (int s = from; s < to; s++) segment.asSlice(s * sliceBytes, sliceBytes).fill((byte) (s | 1));
            });
            double best = 0;
            for (int pass = 0; pass < passes; pass++) {
                float[] sums = new float[slices];
                long start = System.nanoTime();
                Parallel.forChunks(slices, 1, (from, to) -> {
                    for (int s = from; s < to; s++) sums[s] = sum(segment, s * sliceBytes, sliceBytes);
                });
                long nanos = System.nanoTime() - start;
                float all = 0;
                for (float v : sums) all += v;
                sink = all;
                best = Math.max(best, (double) total / nanos);
            }
            return best;
        }
    }

    /** Sum of the floats in [offset, offset + bytes); bytes must be a multiple of eight vectors. */
    static float sum(MemorySegment segment, long offset, long bytes) {
        long step = F.vectorByteSize(), stretch = bytes / STREAMS / step * step;
        FloatVector z = FloatVector.zero(F), a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        // Eight stretches read side by side, as the matvec kernels read eight rows: a single stream per core
        // measured ~10% below what the kernels themselves reach.
        for (long p = offset, end = offset + stretch; p < end; p += step) {
            a0 = a0.add(FloatVector.fromMemorySegment(F, segment, p, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(F, segment, p + stretch, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(F, segment, p + 2 * stretch, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(F, segment, p + 3 * stretch, ByteOrder.LITTLE_ENDIAN));
            a4 = a4.add(FloatVector.fromMemorySegment(F, segment, p + 4 * stretch, ByteOrder.LITTLE_ENDIAN));
            a5 = a5.add(FloatVector.fromMemorySegment(F, segment, p + 5 * stretch, ByteOrder.LITTLE_ENDIAN));
            a6 = a6.add(FloatVector.fromMemorySegment(F, segment, p + 6 * stretch, ByteOrder.LITTLE_ENDIAN));
            a7 = a7.add(FloatVector.fromMemorySegment(F, segment, p + 7 * stretch, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))).reduceLanes(VectorOperators.ADD);
    }

    public static void main(String[] args) {
        System.out.printf("read bandwidth: %.1f GB/s (%d threads)%n", measureGBs(), Parallel.threads());
    }
}
