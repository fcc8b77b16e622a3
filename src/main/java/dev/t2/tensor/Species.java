package dev.t2.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** The vector shapes every kernel shares: one float vector wide, and the narrower shapes that widen into it. */
final class Species {
    private Species() {}

    /** Widest float vector the CPU runs natively (16 lanes with AVX-512). */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** L shorts: one load of 16-bit weights that widens to exactly one float vector. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    /** Bytes of one 8-bit weight load: L bytes (one float vector's worth), but at least the smallest byte vector. */
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, F.vectorBitSize() / 4)));
    /** Float vectors one byte load widens into (1 on AVX2/AVX-512, 2 with 128-bit vectors). */
    static final int B_PARTS = B.length() / L;

    /**
     * Σ of v's lanes, pairwise in a fixed order. {@code reduceLanes(ADD)} leaves the order open, and C2's intrinsic sums in
     * another order than the interpreter does (measured: 66 % of random 16-lane sums differ in the last bit), so a run's
     * numbers would depend on when the JIT compiled which kernel; lane-wise adds are exact in every mode.
     */
    static float sum(FloatVector v) {
        if (v.species() != F || L > 16) return sumAnyShape(v);
        // Spelled out with constant shuffles (L is a constant, so the unused steps fold away): a loop over an array of
        // shuffles boxed the vectors and cost 25 % of decode speed.
        FloatVector s = v;
        if (L >= 16) s = s.add(s.rearrange(DOWN_8));
        if (L >= 8) s = s.add(s.rearrange(DOWN_4));
        if (L >= 4) s = s.add(s.rearrange(DOWN_2));
        if (L >= 2) s = s.add(s.rearrange(DOWN_1));
        return s.lane(0);
    }

    /** The same order for a vector of another shape (slower: slice is not compiled to a single instruction). */
    private static float sumAnyShape(FloatVector v) {
        FloatVector s = v;
        for (int half = s.length() / 2; half > 0; half >>= 1) s = s.add(s.slice(half));
        return s.lane(0);
    }

    /** Lane i takes lane i + half (mod L): added to the vector, each lane below half gets its partner's value. */
    private static VectorShuffle<Float> down(int half) {
        return VectorShuffle.fromOp(F, i -> (i + half) % L);
    }

    private static final VectorShuffle<Float> DOWN_8 = down(8), DOWN_4 = down(4), DOWN_2 = down(2), DOWN_1 = down(1);

    static {
        // Quantized kernels take whole 32-element blocks in whole byte loads.
        if (16 % B.length() != 0) {
            throw new ExceptionInInitializerError("vector shape " + F + " does not fit 32-element quantized blocks");
        }
    }
}
