package dev.t2.model;

import java.util.List;

/**
 * A linear map y = W·x applied to rows (x [rows, in] → y [rows, out]) that can also run backwards: the
 * training graph calls it for every projection, whatever parametrises W (frozen stored weights, a dense
 * trainable matrix, SVF scales or LoRA factors).
 */
public interface Linear {
    int in();

    int out();

    void forward(float[] x, int rows, float[] y);

    /**
     * Given dL/dy, writes dL/dx into {@code dx} (overwriting; skipped when null) and adds the gradients of this
     * map's own trainable parameters, which need the forward input {@code x}.
     */
    void backward(float[] x, int rows, float[] dy, float[] dx);

    /** Trainable parameters of this map (empty when frozen). */
    List<Parameter> parameters();
}
