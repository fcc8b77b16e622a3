package dev.t2.mesa;

/** One head's columns [off, off + size) in row-major [positions, width] activations. */
record HeadView(int positions, int width, int off, int size) {
    int at(int t) {
        return t * width + off;
    }

    /** A plain loop on purpose: the Vector API's lane reduction order is unspecified, and training must replay bit for bit on resume. */
    static float dot(float[] a, int ai, float[] b, int bi, int n) {
        float s = 0;
        for (int j = 0; j < n; j++) s += a[ai + j] * b[bi + j];
        return s;
    }

    /** y[yi…] += α·x[xi…] */
    static void axpy(float alpha, float[] x, int xi, float[] y, int yi, int n) {
        for (int j = 0; j < n; j++) y[yi + j] += alpha * x[xi + j];
    }
}
