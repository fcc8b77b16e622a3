package dev.t2.mesa;

import java.util.Locale;

/** What `t2 mesa analyse` prints for one trained model: losses against the baselines, weight structure, λ, probes. */
public final class MesaAnalysis {
    /** Held-out sequences: negative seeds, which training batches never use. */
    public static final long EVAL_SEED = -1, PROBE_TRAIN_SEED = -2, PROBE_TEST_SEED = -3;
    static final int[] PROBE_POSITIONS = {0, 4, 9, 24, 49};

    private MesaAnalysis() {}

    public static String describe(AttentionModel model, LinearDynamics task, int evalBatch, Workers workers) {
        Sequences eval = task.sample(evalBatch, EVAL_SEED);
        StringBuilder out = new StringBuilder();
        var gd = GradientDescentBaseline.best(eval);
        var ls = LeastSquaresBaseline.best(eval);
        out.append(fmt("model %s: %s, %d heads × %d, %s tokens, %,d parameters%n", model.spec().name(), model.spec().layers(), model.spec().heads(),
                model.spec().headDim(), model.spec().tokens().name().toLowerCase(Locale.ROOT), model.parameterCount()));
        out.append(fmt("loss on %d held-out sequences: %.4f (predict zero %.4f, one GD step %.4f at lr %.4f, least squares %.4f at λ %g)%n",
                evalBatch, model.loss(eval, workers), eval.zeroPredictionLoss(), gd.loss(), gd.learningRate(), ls.loss(), ls.lambda()));
        if (model.layers().size() == 1 && model.layers().get(0).kind() == AttentionKind.LINEAR && model.spec().heads() == 1
                && model.spec().tokens() == TokenLayout.CONSTRUCTED) {
            WeightStructure w = WeightStructure.of(model);
            out.append(fmt("weights: W_KQ[s_{t-1} keys, s_t queries] = %.4f·I (off-identity %.1f %%), W_PV[prediction, s_t values] = %.4f·I (off-identity %.1f %%);"
                            + " share outside these blocks %.1f %% / %.1f %%%n", w.keyQueryScale(), 100 * w.keyQueryOffIdentity(), w.valueScale(),
                    100 * w.valueOffIdentity(), 100 * w.keyQueryOutsideShare(), 100 * w.valueOutsideShare()));
            out.append(fmt("effective learning rate %.4f vs best GD step %.4f (%+.1f %%); GD at that rate: loss %.4f%n", w.learningRate(), gd.learningRate(),
                    100 * (w.learningRate() / gd.learningRate() - 1), GradientDescentBaseline.loss(eval, w.learningRate())));
        }
        for (int l = 0; l < model.layers().size(); l++) {
            AttentionLayer layer = model.layers().get(l);
            if (layer.kind() != AttentionKind.MESA) continue;
            StringBuilder lambdas = new StringBuilder();
            for (int h = 0; h < layer.heads(); h++) lambdas.append(fmt(" %.3g", layer.lambda(h)));
            out.append(fmt("layer %d learned λ per head:%s%n", l, lambdas));
        }
        Sequences probeTrain = task.sample(evalBatch, PROBE_TRAIN_SEED), probeTest = task.sample(Math.max(evalBatch / 2, 32), PROBE_TEST_SEED);
        for (LinearProbe.Target target : LinearProbe.Target.values()) {
            double[][] r2 = LinearProbe.r2(model, probeTrain, probeTest, target);
            out.append(fmt("probe R² for %s (rows: layer output, 0 = tokens; columns: position t)%n", target.name().toLowerCase(Locale.ROOT).replace('_', ' ')));
            out.append("        ");
            for (int t : PROBE_POSITIONS) if (t < task.length()) out.append(fmt("%8s", "t=" + (t + 1)));
            out.append('\n');
            for (int l = 0; l < r2.length; l++) {
                out.append(fmt("layer %d ", l));
                for (int t : PROBE_POSITIONS) if (t < task.length()) out.append(Double.isNaN(r2[l][t]) ? fmt("%8s", "n/a") : fmt("%8.3f", r2[l][t]));
                out.append('\n');
            }
        }
        return out.toString();
    }

    static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
