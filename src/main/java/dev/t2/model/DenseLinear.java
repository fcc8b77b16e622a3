package dev.t2.model;

import dev.t2.tensor.MatMul;
import java.util.List;

/** A fully trainable f32 matrix [out, in] (tiny models trained from scratch, CALM projections). */
public record DenseLinear(Parameter weight, int out, int in) implements Linear {
    public DenseLinear {
        if (weight.size() != out * in) throw new IllegalArgumentException(weight + " is not [" + out + ", " + in + "]");
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        MatMul.matmulF32(x, rows, in, weight.value(), true, y);
    }

    @Override
    public void backward(float[] x, int rows, float[] dy, float[] dx) {
        if (dx != null) MatMul.matmulF32(dy, rows, out, weight.value(), false, dx);
        Gradients.addOuterProducts(dy, x, rows, out, in, weight.grad());
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight);
    }
}
