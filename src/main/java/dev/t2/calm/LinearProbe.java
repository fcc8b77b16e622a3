package dev.t2.calm;

/**
 * A linear read-out of hidden states: ridge regression from a state (plus a bias) to the one-hot of its label, the
 * prediction being the largest output. Used to check that m_A's states carry each key's value in a form that a
 * linear map learnt on some keys reads off for other keys, which composition needs.
 */
public final class LinearProbe {
    private final double[][] weights; // [dim + 1, classes]
    private final int dim, classes;

    private LinearProbe(double[][] weights, int dim, int classes) {
        this.weights = weights;
        this.dim = dim;
        this.classes = classes;
    }

    /** Least squares with penalty {@code ridge}·|W|² on states [n, dim] (row-major) and labels in [0, classes). */
    public static LinearProbe fit(float[] states, int[] labels, int dim, int classes, double ridge) {
        int n = labels.length, m = dim + 1;
        if (states.length != n * dim) throw new IllegalArgumentException(states.length + " state values for " + n + " labels of width " + dim);
        double[][] gram = new double[m][m], rhs = new double[m][classes];
        double[] x = new double[m];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < dim; i++) x[i] = states[r * dim + i];
            x[dim] = 1;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) gram[i][j] += x[i] * x[j];
                rhs[i][labels[r]] += x[i];
            }
        }
        for (int i = 0; i < dim; i++) gram[i][i] += ridge; // not on the bias
        return new LinearProbe(solve(gram, rhs), dim, classes);
    }

    /** Gauss–Jordan elimination with partial pivoting: gram · W = rhs. */
    private static double[][] solve(double[][] a, double[][] b) {
        int m = a.length, k = b[0].length;
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int r = col + 1; r < m; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            t = b[col];
            b[col] = b[pivot];
            b[pivot] = t;
            double p = a[col][col];
            if (Math.abs(p) < 1e-12) throw new IllegalArgumentException("the probe's normal equations are singular; add ridge");
            for (int r = 0; r < m; r++) {
                if (r == col) continue;
                double f = a[r][col] / p;
                if (f == 0) continue;
                for (int c = col; c < m; c++) a[r][c] -= f * a[col][c];
                for (int c = 0; c < k; c++) b[r][c] -= f * b[col][c];
            }
        }
        double[][] w = new double[m][k];
        for (int r = 0; r < m; r++) for (int c = 0; c < k; c++) w[r][c] = b[r][c] / a[r][r];
        return w;
    }

    public int predict(float[] states, int row) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double s = weights[dim][c];
            for (int i = 0; i < dim; i++) s += states[row * dim + i] * weights[i][c];
            if (s > bestScore) {
                bestScore = s;
                best = c;
            }
        }
        return best;
    }

    public double accuracy(float[] states, int[] labels) {
        int right = 0;
        for (int r = 0; r < labels.length; r++) if (predict(states, r) == labels[r]) right++;
        return labels.length == 0 ? Double.NaN : right / (double) labels.length;
    }
}
