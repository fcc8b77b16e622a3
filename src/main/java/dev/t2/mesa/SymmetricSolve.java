package dev.t2.mesa;

/** Solves A·x = b for symmetric positive-definite A by Cholesky, in double: the direct solve the fast paths are checked against. */
public final class SymmetricSolve {
    private SymmetricSolve() {}

    /** Returns x with a [n, n] row-major (left untouched) and b of length n. */
    public static double[] solve(double[] a, int n, double[] b) {
        double[] l = cholesky(a, n), x = b.clone();
        for (int i = 0; i < n; i++) {
            double s = x[i];
            for (int j = 0; j < i; j++) s -= l[i * n + j] * x[j];
            x[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = x[i];
            for (int j = i + 1; j < n; j++) s -= l[j * n + i] * x[j];
            x[i] = s / l[i * n + i];
        }
        return x;
    }

    /** A⁻¹ column by column. */
    public static double[] inverse(double[] a, int n) {
        double[] inv = new double[n * n], e = new double[n];
        for (int c = 0; c < n; c++) {
            java.util.Arrays.fill(e, 0);
            e[c] = 1;
            double[] col = solve(a, n, e);
            for (int r = 0; r < n; r++) inv[r * n + c] = col[r];
        }
        return inv;
    }

    private static double[] cholesky(double[] a, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                if (i == j) {
                    if (!(s > 0)) throw new IllegalArgumentException("matrix is not positive definite (pivot " + s + " at " + i + ")");
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        return l;
    }
}
