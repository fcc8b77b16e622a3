package dev.t2.model;

/** Rotary position embedding: per-row cos/sin tables and the rotation in both pair layouts. */
final class Rope {
    private final float[] inverseFrequencies;
    private final boolean interleaved;
    private final int headDim;

    Rope(ModelConfig c) {
        this.headDim = c.headDim();
        this.inverseFrequencies = c.ropeScaling().inverseFrequencies(c.headDim(), c.ropeTheta());
        this.interleaved = c.ropeInterleaved();
    }

    /** cos and sin for each row's position, [rows, headDim/2] each. */
    float[][] tables(int[] positions) {
        int half = headDim / 2;
        float[] cos = new float[positions.length * half], sin = new float[positions.length * half];
        for (int r = 0; r < positions.length; r++) {
            for (int i = 0; i < half; i++) {
                float angle = positions[r] * inverseFrequencies[i]; // float32 product, as transformers and llama2.c
                cos[r * half + i] = (float) Math.cos(angle);
                sin[r * half + i] = (float) Math.sin(angle);
            }
        }
        return new float[][] {cos, sin};
    }

    /** Rotates {@code heads} heads of row {@code r} in x (row width heads·headDim) in place. */
    void rotate(float[] x, int r, int heads, float[][] tables) {
        rotate(x, r, heads, tables, 1f);
    }

    /** The inverse rotation (the transpose): carries gradients back through {@link #rotate}. */
    void rotateBack(float[] x, int r, int heads, float[][] tables) {
        rotate(x, r, heads, tables, -1f);
    }

    private void rotate(float[] x, int r, int heads, float[][] tables, float direction) {
        int half = headDim / 2, width = heads * headDim;
        float[] cos = tables[0], sin = tables[1];
        for (int h = 0; h < heads; h++) {
            int base = r * width + h * headDim;
            for (int i = 0; i < half; i++) {
                float c = cos[r * half + i], s = direction * sin[r * half + i];
                int a = interleaved ? base + 2 * i : base + i;
                int b = interleaved ? a + 1 : a + half;
                float x1 = x[a], x2 = x[b];
                x[a] = x1 * c - x2 * s;
                x[b] = x2 * c + x1 * s;
            }
        }
    }
}
