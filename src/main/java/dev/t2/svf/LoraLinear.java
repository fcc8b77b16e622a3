package dev.t2.svf;

import dev.t2.model.Gradients;
import dev.t2.model.Linear;
import dev.t2.model.Parameter;
import dev.t2.tensor.MatMul;
import java.util.List;
import java.util.Random;

/**
 * LoRA: y = W·x + (alpha/rank)·B·(A·x) with W frozen, A [rank, in] and B [out, rank] trainable; B starts at
 * zero so training starts from the base model (as PEFT initialises it).
 */
public final class LoraLinear implements Linear {
    private final Linear base;
    private final Parameter a;
    private final Parameter b;
    private final int rank;
    private final float scaling;

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
        MatMul.matmulF32(exact(x, rows * in()), rows, in(), a.value(), true, h);
        MatMul.matmulF32(h, rows, rank, b.value(), true, delta);
        for (int i = 0; i < rows * out(); i++) y[i] += scaling * delta[i];
    }

    @Override
    public void backward(float[] x, int rows, float[] dy, float[] dx) {
        float[] xs = exact(x, rows * in());
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
            for (int i = 0; i < viaA.length; i++) dx[i] += viaA[i];
        }
    }

    private static float[] exact(float[] x, int n) {
        return x.length == n ? x : java.util.Arrays.copyOf(x, n);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(a, b);
    }
}
