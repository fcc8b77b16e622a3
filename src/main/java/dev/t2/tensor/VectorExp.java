package dev.t2.tensor;

import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x for a vector of floats from adds, multiplies, FMAs and bit operations only (Cody–Waite reduction, Cephes'
 * polynomial; within 2 ulp of {@link Math#exp}). The library's {@code lanewise(EXP)} calls SVML once compiled and another
 * routine before, so a run's numbers would depend on when the JIT compiled the kernel; these operations are exact in
 * every mode, which keeps training bit-reproducible.
 */
public final class VectorExp {
    private VectorExp() {}

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5 · 2^23: adding it rounds to an integer held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final float LOWEST = -87.33654f, HIGHEST = 88.0f;

    /** e^x lane-wise; below −87.34 gives 0 (−∞ included), above 88 gives e^88. */
    public static FloatVector exp(FloatVector x) {
        VectorMask<Float> underflow = x.compare(VectorOperators.LT, LOWEST);
        FloatVector c = x.max(LOWEST).min(HIGHEST);
        FloatVector t = c.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUNDER));
        FloatVector k = t.sub(ROUNDER);
        FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_HI), c);
        r = k.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(F, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
        FloatVector e = p.mul(r.mul(r)).add(r).add(1f);
        IntVector bits = ((IntVector) t.reinterpretAsInts()).sub(Float.floatToRawIntBits(ROUNDER) - 127).lanewise(VectorOperators.LSHL, 23);
        return e.mul(bits.reinterpretAsFloats()).blend(0f, underflow);
    }

    /** x[j] = e^(x[j] − shift) for j in [from, to), a multiple of the vector length wide; returns their sum. */
    public static float expShifted(float[] x, int from, int to, float shift) {
        FloatVector sum = FloatVector.zero(F);
        for (int j = from; j < to; j += L) {
            FloatVector e = exp(FloatVector.fromArray(F, x, j).sub(shift));
            e.intoArray(x, j);
            sum = sum.add(e);
        }
        return Species.sum(sum);
    }
}
