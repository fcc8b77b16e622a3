package dev.t2.mesa;

/**
 * How far the Sherman–Morrison recursion drifts from a direct inverse of A_t = Σ_{i≤t} s_i s_iᵀ + I/λ over whole
 * sequences, in float and in double: max over sequences and t of ‖R_SM − A_t⁻¹‖_F / ‖A_t⁻¹‖_F.
 */
public record ShermanMorrisonCheck(double lambda, double maxRelativeErrorFloat, double maxRelativeErrorDouble) {
    public static ShermanMorrisonCheck measure(Sequences s, double lambda) {
        int d = s.dim();
        double worstF = 0, worstD = 0;
        double[] a = new double[d * d], rd = new double[d * d], scratchD = new double[d], key = new double[d];
        float[] scratchF = new float[d], keyF = new float[d];
        for (int b = 0; b < s.batch(); b++) {
            float[] rf = ShermanMorrison.scaledIdentity(d, (float) lambda);
            java.util.Arrays.fill(a, 0);
            java.util.Arrays.fill(rd, 0);
            for (int j = 0; j < d; j++) {
                a[j * d + j] = 1 / lambda;
                rd[j * d + j] = lambda;
            }
            for (int t = 0; t <= s.length(); t++) {
                for (int j = 0; j < d; j++) keyF[j] = (float) (key[j] = s.state(b, t, j));
                for (int r = 0; r < d; r++) for (int c = 0; c < d; c++) a[r * d + c] += key[r] * key[c];
                ShermanMorrison.update(rf, keyF, 0, d, scratchF);
                ShermanMorrison.update(rd, key, 0, d, scratchD);
                double[] direct = SymmetricSolve.inverse(a, d);
                double norm = 0, errF = 0, errD = 0;
                for (int i = 0; i < d * d; i++) {
                    norm += direct[i] * direct[i];
                    errF += (rf[i] - direct[i]) * (rf[i] - direct[i]);
                    errD += (rd[i] - direct[i]) * (rd[i] - direct[i]);
                }
                worstF = Math.max(worstF, Math.sqrt(errF / norm));
                worstD = Math.max(worstD, Math.sqrt(errD / norm));
            }
        }
        return new ShermanMorrisonCheck(lambda, worstF, worstD);
    }
}
