package dev.t2.mesa;

/** One head's columns [off, off + size) in row-major [positions, width] activations. */
record HeadView(int positions, int width, int off, int size) {
    int at(int t) {
        return t * width + off;
    }

    static float dot(float[] a, int ai, float[] b, int bi, int n) {
        if (n >= 16) return dev.t2.tensor.VectorOps.dot(a, ai, b, bi, n); // SIMD pays off from one AVX-512 register's width
        float s = 0;
        for (int j = 0; j < n; j++) s += a[ai + j] * b[bi + j];
        return s;
    }

    /** y[yi…] += α·x[xi…] */
    static void axpy(float alpha, float[] x, int xi, float[] y, int yi, int n) {
        if (n >= 16) {
            dev.t2.tensor.VectorOps.axpy(alpha, x, xi, y, yi, n);
            return;
        }
        for (int j = 0; j < n; j++) y[yi + j] += alpha * x[xi + j];
    }
}
