package dev.t2.model;

import dev.t2.tensor.MatMul;
import dev.t2.tensor.Tensor;
import java.util.List;

/** Stored weights that never change (base weights stay memory-mapped in their dtype); gradients pass through. */
public record FrozenLinear(Tensor weight) implements Linear {
    @Override
    public int in() {
        return weight.cols();
    }

    @Override
    public int out() {
        return weight.rows();
    }

    @Override
    public void forward(float[] x, int rows, float[] y) {
        MatMul.matmul(weight, x, y, rows);
    }

    @Override
    public void backward(float[] x, int rows, float[] dy, float[] dx) {
        if (dx != null) MatMul.matmulTransposed(weight, dy, dx, rows);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }
}
