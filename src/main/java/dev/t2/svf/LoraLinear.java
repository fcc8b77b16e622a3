package dev.t2.svf;

import dev.t2.model.Gradients;
import dev.t2.model.Linear;
import dev.t2.model.Parameter;
import dev.t2.tensor.MatMul;
import java.util.List;
import java.util.Random;

/**
 * LoRA: y = W·x + (alpha/rank)·B·(A·dropout(x)) with W frozen, A [rank, in] and B [out, rank] trainable; B starts
 * at zero so training starts from the base model (as PEFT initialises it). Dropout (the paper's 0.05) acts on the
 * LoRA branch only, with a mask that is a pure function of (seed, step, element), so a recomputed forward and
 * the backward see the same mask; {@link #setStep} advances it, {@link #setTraining} turns it off.
 */
public final class LoraLinear implements Linear {
    private final Linear base;
    private final Parameter a;
    private final Parameter b;
    private final int rank;
    private final float scaling;
    private float dropout;
    private long dropoutSeed;
    private long step;
    private boolean training = true;

    public LoraLinear(Linear base, Parameter a, Parameter b, int rank, float alpha) {
        if (a.size() != rank * base.in() || b.size() != base.out() * rank) {
            throw new IllegalArgumentException("LoRA factors " + a + ", " + b + " do not fit a [" + base.out() + ", " + base.in() + "] map of rank " + rank);
        }
        this.base = base;
        this.a = a;
        this.b = b;
        this.rank = rank;
        this.scaling = alpha / rank;
    }

    /** A ~ U(−1/√in, 1/√in) (PEFT's kaiming-uniform with a = √5), B = 0. */
    public static LoraLinear initialise(String name, Linear base, int rank, float alpha, Random rnd) {
        float bound = (float) (1 / Math.sqrt(base.in()));
        float[] av = new float[rank * base.in()];
        for (int i = 0; i < av.length; i++) av[i] = (2 * rnd.nextFloat() - 1) * bound;
        return new LoraLinear(base, new Parameter(name + ".lora_A.weight", av, rank, base.in()),
                new Parameter(name + ".lora_B.weight", new float[base.out() * rank], base.out(), rank), rank, alpha);
    }

    /** Drops each input element of the LoRA branch with probability p (scaled by 1/(1−p) otherwise). */
    public LoraLinear withDropout(float p, long seed) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + p);
        this.dropout = p;
        this.dropoutSeed = seed;
        return this;
    }

    public void setStep(long step) {
        this.step = step;
    }

    public void setTraining(boolean training) {
        this.training = training;
    }

    /** x with the dropout mask of the current step applied (x itself when dropout is off). */
    private float[] dropped(float[] x, int n) {
        float[] xs = exact(x, n);
        if (!training || dropout == 0) return xs;
        float[] out = new float[n];
        float keep = 1 / (1 - dropout);
        long base = dropoutSeed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L;
        for (int i = 0; i < n; i++) {
            long h = mix(base + i);
            out[i] = (h >>> 40) * 0x1p-24f < dropout ? 0f : xs[i] * keep;
        }
        return out;
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit hash of a counter. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public Parameter a() {
        return a;
    }

    public Parameter b() {
        return b;
    }

    @Override
    public int in() {
        return base.in();
    }

    @Override
    public int out() {
        return base.out();
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        base.forward(x, rows, y);
        float[] h = new float[rows * rank], delta = new float[rows * out()];
        MatMul.matmulF32(dropped(x, rows * in()), rows, in(), a.value(), true, h);
        MatMul.matmulF32(h, rows, rank, b.value(), true, delta);
        for (int i = 0; i < rows * out(); i++) y[i] += scaling * delta[i];
    }

    @Override
    public void backward(float[] x, int rows, float[] dy, float[] dx) {
        float[] xs = dropped(x, rows * in());
        float[] h = new float[rows * rank];
        MatMul.matmulF32(xs, rows, in(), a.value(), true, h);
        float[] scaledDy = new float[rows * out()];
        for (int i = 0; i < scaledDy.length; i++) scaledDy[i] = scaling * dy[i];
        Gradients.addOuterProducts(scaledDy, h, rows, out(), rank, b.grad());
        float[] dh = new float[rows * rank];
        MatMul.matmulF32(scaledDy, rows, out(), b.value(), false, dh);
        Gradients.addOuterProducts(dh, xs, rows, rank, in(), a.grad());
        if (dx != null) {
            base.backward(x, rows, dy, dx);
            float[] viaA = new float[rows * in()];
            MatMul.matmulF32(dh, rows, rank, a.value(), false, viaA);
            float[] mask = dropped(ones(rows * in()), rows * in()); // d dropout(x)/dx: 0 or 1/(1−p), elementwise
            for (int i = 0; i < viaA.length; i++) dx[i] += viaA[i] * mask[i];
        }
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    private static float[] exact(float[] x, int n) {
        return x.length == n ? x : java.util.Arrays.copyOf(x, n);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(a, b);
    }
}
