package dev.t2.model;

import java.util.Arrays;

/** A trainable f32 array with its gradient, by name and shape (what an optimizer updates and a checkpoint saves). */
public final class Parameter {
    private final String name;
    private final int[] shape;
    private final float[] value;
    private final float[] grad;

    public Parameter(String name, float[] value, int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != value.length) throw new IllegalArgumentException(name + ": " + value.length + " values for shape " + Arrays.toString(shape));
        this.name = name;
        this.shape = shape.clone();
        this.value = value;
        this.grad = new float[value.length];
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public float[] value() {
        return value;
    }

    public float[] grad() {
        return grad;
    }

    public int size() {
        return value.length;
    }

    public void zeroGrad() {
        Arrays.fill(grad, 0f);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
