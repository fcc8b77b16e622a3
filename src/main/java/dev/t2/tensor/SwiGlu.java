package dev.t2.tensor;

import static dev.t2.tensor.Species.F;
import static dev.t2.tensor.Species.L;

import jdk.incubator.vector.FloatVector;

/** The MLP's gated activation silu(gate) · up and its backward, vectorized with {@link VectorExp}. */
public final class SwiGlu {
    private SwiGlu() {}

    /** act[i] = gate[i] · σ(gate[i]) · up[i] for i < n. */
    public static void forward(float[] gate, float[] up, float[] act, int n) {
        forward(gate, up, act, 0, n);
    }

    /** The same for i in [from, to); act may be gate itself (in place). */
    public static void forward(float[] gate, float[] up, float[] act, int from, int to) {
        int i = from;
        for (int end = to - L; i <= end; i += L) {
            FloatVector g = FloatVector.fromArray(F, gate, i);
            FloatVector sig = FloatVector.broadcast(F, 1f).div(VectorExp.exp(g.neg()).add(1f));
            g.mul(sig).mul(FloatVector.fromArray(F, up, i)).intoArray(act, i);
        }
        for (; i < to; i++) {
            float g = gate[i];
            act[i] = g / (1f + (float) Math.exp(-g)) * up[i];
        }
    }

    /** dGate and dUp of act = silu(gate) · up, given dAct. */
    public static void backward(float[] gate, float[] up, float[] dAct, float[] dGate, float[] dUp, int n) {
        int i = 0;
        for (int end = n - L; i <= end; i += L) {
            FloatVector g = FloatVector.fromArray(F, gate, i), da = FloatVector.fromArray(F, dAct, i);
            FloatVector sig = FloatVector.broadcast(F, 1f).div(VectorExp.exp(g.neg()).add(1f));
            da.mul(g).mul(sig).intoArray(dUp, i);
            // d silu/dg = σ (1 + g (1 − σ))
            FloatVector dSilu = sig.mul(g.mul(sig.neg().add(1f)).add(1f));
            da.mul(FloatVector.fromArray(F, up, i)).mul(dSilu).intoArray(dGate, i);
        }
        for (; i < n; i++) {
            float g = gate[i], sig = 1f / (1f + (float) Math.exp(-g));
            dUp[i] = dAct[i] * g * sig;
            dGate[i] = dAct[i] * up[i] * sig * (1f + g * (1f - sig));
        }
    }
}
