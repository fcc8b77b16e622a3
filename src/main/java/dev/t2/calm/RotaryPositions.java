package dev.t2.calm;

/**
 * Rotary position embedding for the cross-attention (rotate-half layout, θ = 10000): queries and keys are rotated by
 * their token positions, which both models share, so a score depends on how far back a key lies. An option beside
 * the paper's position-free cross-attention ({@link CompositionConfig#positional()}); no parameters.
 */
final class RotaryPositions {
    private RotaryPositions() {}

    /** Rotates row {@code row} of x (width heads·headDim) by {@code position}; {@code inverse} undoes it (for gradients). */
    static void rotate(float[] x, int row, int width, int headDim, int position, boolean inverse) {
        int half = headDim / 2;
        for (int i = 0; i < half; i++) {
            double angle = position * Math.pow(10000, -2.0 * i / headDim);
            float c = (float) Math.cos(angle), s = (float) (inverse ? -Math.sin(angle) : Math.sin(angle));
            for (int base = row * width; base < (row + 1) * width; base += headDim) {
                float x1 = x[base + i], x2 = x[base + i + half];
                x[base + i] = x1 * c - x2 * s;
                x[base + i + half] = x2 * c + x1 * s;
            }
        }
    }
}
