package dev.t2.tensor;

import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.I;
import static dev.t2.tensor.Species.L;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A bf16 matrix regrouped for one-row products (decode): groups of L rows (one per float lane), and within a group
 * the columns in pairs, each pair one int per row, so one int vector holds a column pair of all L rows. A product
 * then needs no lane sums at all (lane k accumulates row k; the vector is the group's L results) and a thread reads
 * its rows as one sequential stream per walk. Row-major bf16 rows of 896 columns measured 70-77 % of the read
 * bandwidth on 2 cores, a loads-only walk of them 86-88 %; regrouped, the same bytes give 91-94 % (KernelBench).
 *
 * <p>The regrouped copy is built once per matrix, the first time a one-row product reads it, and kept as long as
 * the matrix is reachable; it costs one more copy of the matrix's bytes. Rows are padded to whole groups and columns
 * to whole pairs with zero weights. Every row is summed in one fixed order (even columns and odd columns in two
 * running sums, then added), whichever walk computes it, so results do not depend on the number of cores.
 */
final class Bf16RowGroups {
    /** Rows per group: one per float lane. */
    static final int GROUP = L;
    /** Groups walked side by side by one thread: four memory streams (one stream measured ~70 % of bandwidth). */
    static final int WALKS = 4;
    /**
     * Matrices smaller than this keep their row-major layout: they are a small share of any real model's bytes (a
     * Qwen2.5-0.5B k/v projection is 224 KiB of 988 MiB), so regrouping them gains nothing measurable.
     */
    static final long MIN_BYTES = 256 << 10;
    /** Off switch ({@code -Dt2.regroup=false}) for when the extra copy does not fit in memory. */
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("t2.regroup", "true"));

    /** Per matrix: its copy, or empty when making one ran out of memory. Weak keys: a copy lives as long as its matrix. */
    private static final Map<Tensor, Optional<Bf16RowGroups>> CACHE = new WeakHashMap<>();
    private static final AtomicBoolean WARNED_OUT_OF_MEMORY = new AtomicBoolean();
    private static final VectorOperators.Binary LSHL = VectorOperators.LSHL;
    private static final int HIGH = 0xFFFF0000;
    /** Bytes of one column pair of a group: L ints. */
    private static final long PAIR_BYTES = 4L * GROUP;

    final int rows, cols, groups, pairs;
    final MemorySegment data;

    private Bf16RowGroups(int rows, int cols, MemorySegment data) {
        this.rows = rows;
        this.cols = cols;
        this.groups = (rows + GROUP - 1) / GROUP;
        this.pairs = (cols + 1) / 2;
        this.data = data;
    }

    /**
     * The regrouped copy of w for one-row products, or null when w is not a bf16 matrix worth regrouping, or when
     * memory for the copy ran out (then w keeps its stored layout, said once on stderr, and is not tried again).
     */
    static Bf16RowGroups of(Tensor w) {
        if (!ENABLED || w.dtype() != DType.BF16 || w.rank() != 2 || w.data().byteSize() < MIN_BYTES) return null;
        synchronized (CACHE) {
            Optional<Bf16RowGroups> found = CACHE.get(w);
            if (found != null) return found.orElse(null);
        }
        Optional<Bf16RowGroups> made = regroupIfMemoryAllows(w);
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(w, k -> made).orElse(null);
        }
    }

    private static Optional<Bf16RowGroups> regroupIfMemoryAllows(Tensor w) {
        try {
            return Optional.of(regroup(w));
        } catch (OutOfMemoryError e) {
            if (!WARNED_OUT_OF_MEMORY.getAndSet(true)) {
                System.err.println("t2: no memory for a regrouped copy of " + w.describe() + " (" + e.getMessage()
                        + "); one-row products read the stored layout, more slowly. -Dt2.regroup=false skips the attempt.");
            }
            return Optional.empty();
        }
    }

    /**
     * The regrouped copy of w if a one-row product has made one, else null. Many-row products read it when it exists,
     * so a mapped checkpoint's own pages are not read again and can leave memory.
     */
    static Bf16RowGroups existing(Tensor w) {
        synchronized (CACHE) {
            Optional<Bf16RowGroups> found = CACHE.get(w);
            return found == null ? null : found.orElse(null);
        }
    }

    /** Copies w into the grouped layout, in parallel over groups. */
    static Bf16RowGroups regroup(Tensor w) {
        int rows = w.rows(), cols = w.cols();
        int groups = (rows + GROUP - 1) / GROUP, pairs = (cols + 1) / 2;
        MemorySegment out = Arena.ofAuto().allocate((long) groups * pairs * PAIR_BYTES, 64);
        MemorySegment in = w.data();
        Parallel.forChunks(groups, 1, (g0, g1) -> {
            for (int g = g0; g < g1; g++) {
                long base = (long) g * pairs * PAIR_BYTES;
                for (int k = 0; k < GROUP && g * GROUP + k < rows; k++) {
                    long row = (long) (g * GROUP + k) * cols;
                    // Little-endian: the int at column 2c of a row holds bf16 2c in its low half and 2c + 1 in its high half.
                    for (int c = 0; c < cols / 2; c++) {
                        out.set(INT_LE, base + c * PAIR_BYTES + 4L * k, in.get(INT_LE, 2 * (row + 2L * c)));
                    }
                    if (cols % 2 == 1) {
                        out.set(INT_LE, base + (pairs - 1) * PAIR_BYTES + 4L * k, in.get(Tensor.I16_LE, 2 * (row + cols - 1)) & 0xFFFF);
                    }
                }
            }
        });
        return new Bf16RowGroups(rows, cols, out);
    }

    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** x padded with a zero to whole column pairs, as {@link #multiply} reads it. */
    float[] prepare(float[] x) {
        float[] px = new float[2 * pairs];
        System.arraycopy(x, 0, px, 0, cols);
        return px;
    }

    /** Units of work for {@link #multiply}: runs of {@link #WALKS} groups. */
    int units() {
        return (groups + WALKS - 1) / WALKS;
    }

    /** First row of unit u (capped at rows). */
    int unitRow(int u) {
        return (int) Math.min(rows, (long) u * WALKS * GROUP);
    }

    /**
     * out[o] = w[o] · x for the rows of units [from, to): the whole runs of four groups are walked as four stretches
     * side by side, the groups of a last partial run one at a time.
     */
    void multiply(float[] px, int from, int to, float[] out) {
        int g0 = from * WALKS, g1 = Math.min(groups, to * WALKS), stretch = (g1 - g0) / WALKS;
        float[] lanes = new float[WALKS * GROUP];
        for (int g = g0; g < g0 + stretch; g++) {
            walk4(g, stretch, px, lanes);
            for (int s = 0; s < WALKS; s++) store(lanes, s * GROUP, g + s * stretch, out);
        }
        for (int g = g0 + WALKS * stretch; g < g1; g++) {
            walk1(g, px, lanes);
            store(lanes, 0, g, out);
        }
    }

    /**
     * A {@link PackedGemm} panel of wᵀ: panel[kk·NR + jj] = w[n0 + jj, k0 + kk] for jj < NR (four groups; rows past
     * the matrix read as zero) and kk < kc, with n0 a multiple of NR and k0 even. Each int vector gives two of the
     * panel's rows (even and odd column), with the same bits as decoding the stored rows.
     */
    void packPanel(int n0, int k0, int kc, float[] panel) {
        int g0 = n0 / GROUP;
        for (int q = 0; q < PackedGemm.NR / GROUP; q++) {
            int g = g0 + q;
            for (int kk = 0; kk < kc; kk += 2) {
                int at = kk * PackedGemm.NR + q * GROUP;
                if (g >= groups) {
                    FloatVector.zero(F).intoArray(panel, at);
                    if (kk + 1 < kc) FloatVector.zero(F).intoArray(panel, at + PackedGemm.NR);
                    continue;
                }
                IntVector v = IntVector.fromMemorySegment(I, data, ((long) g * pairs + (k0 + kk) / 2) * PAIR_BYTES, ByteOrder.LITTLE_ENDIAN);
                v.lanewise(LSHL, 16).reinterpretAsFloats().intoArray(panel, at);
                if (kk + 1 < kc) v.and(HIGH).reinterpretAsFloats().intoArray(panel, at + PackedGemm.NR);
            }
        }
    }

    /** The group's real rows (a last group may hold padding) from lanes[at, at + L) into out. */
    private void store(float[] lanes, int at, int g, float[] out) {
        System.arraycopy(lanes, at, out, g * GROUP, Math.min(GROUP, rows - g * GROUP));
    }

    /**
     * Groups g, g + stride, g + 2·stride, g + 3·stride side by side; lanes[s·L + k] = row k of the s-th. Spelled out
     * without helpers, as the row-major kernels are: a vector passed to a method C2 does not inline gets boxed.
     */
    private void walk4(int g, int stride, float[] px, float[] lanes) {
        long at = (long) g * pairs * PAIR_BYTES, step = (long) stride * pairs * PAIR_BYTES;
        FloatVector z = FloatVector.zero(F), e0 = z, o0 = z, e1 = z, o1 = z, e2 = z, o2 = z, e3 = z, o3 = z;
        for (int c = 0; c < pairs; c++, at += PAIR_BYTES) {
            FloatVector xe = FloatVector.broadcast(F, px[2 * c]), xo = FloatVector.broadcast(F, px[2 * c + 1]);
            IntVector v0 = IntVector.fromMemorySegment(I, data, at, ByteOrder.LITTLE_ENDIAN);
            IntVector v1 = IntVector.fromMemorySegment(I, data, at + step, ByteOrder.LITTLE_ENDIAN);
            IntVector v2 = IntVector.fromMemorySegment(I, data, at + 2 * step, ByteOrder.LITTLE_ENDIAN);
            IntVector v3 = IntVector.fromMemorySegment(I, data, at + 3 * step, ByteOrder.LITTLE_ENDIAN);
            e0 = v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(xe, e0);
            o0 = v0.and(HIGH).reinterpretAsFloats().fma(xo, o0);
            e1 = v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(xe, e1);
            o1 = v1.and(HIGH).reinterpretAsFloats().fma(xo, o1);
            e2 = v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(xe, e2);
            o2 = v2.and(HIGH).reinterpretAsFloats().fma(xo, o2);
            e3 = v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(xe, e3);
            o3 = v3.and(HIGH).reinterpretAsFloats().fma(xo, o3);
        }
        e0.add(o0).intoArray(lanes, 0);
        e1.add(o1).intoArray(lanes, GROUP);
        e2.add(o2).intoArray(lanes, 2 * GROUP);
        e3.add(o3).intoArray(lanes, 3 * GROUP);
    }

    /** Group g alone, summed in {@link #walk4}'s order; lanes[k] = row k. */
    private void walk1(int g, float[] px, float[] lanes) {
        long at = (long) g * pairs * PAIR_BYTES;
        FloatVector e = FloatVector.zero(F), o = e;
        for (int c = 0; c < pairs; c++, at += PAIR_BYTES) {
            IntVector v = IntVector.fromMemorySegment(I, data, at, ByteOrder.LITTLE_ENDIAN);
            e = v.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.broadcast(F, px[2 * c]), e);
            o = v.and(HIGH).reinterpretAsFloats().fma(FloatVector.broadcast(F, px[2 * c + 1]), o);
        }
        e.add(o).intoArray(lanes, 0);
    }
}
