package dev.t2.cli;

import dev.t2.mesa.AttentionModel;
import dev.t2.mesa.LinearDynamics;
import dev.t2.mesa.MesaAnalysis;
import dev.t2.mesa.MesaReport;
import dev.t2.mesa.MesaTrainer;
import dev.t2.mesa.ModelSpec;
import dev.t2.mesa.TokenLayout;
import dev.t2.mesa.Workers;
import dev.t2.rl.CosineSchedule;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code t2 mesa}: mesa-optimization in attention-only models trained on linear dynamics (von Oswald et al., arXiv 2309.05858). */
@Command(name = "mesa", mixinStandardHelpOptions = true, description = "Train, analyse and report attention models that learn in context on linear dynamics.",
        subcommands = {MesaCommand.Train.class, MesaCommand.Analyse.class, MesaCommand.Report.class})
final class MesaCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.err);
    }

    static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Train one model; resumes from the output directory's checkpoint.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--model", defaultValue = "linear-1", description = "preset: linear-1, linear-2, linear-4, mesa-1, softmax-linear-raw (default: ${DEFAULT-VALUE})") String preset;
        @Option(names = "--layers", description = "override the preset's layers, e.g. linear,linear or softmax,mesa") String layers;
        @Option(names = "--heads", description = "override the heads per layer") Integer heads;
        @Option(names = "--head-dim", description = "override the head dimension") Integer headDim;
        @Option(names = "--tokens", description = "override the token layout: constructed (0, s_t, s_t, s_{t-1}) or raw (0, s_t, 0, 0, sinusoidal position code)") String tokens;
        @Option(names = "--init-std", description = "override the weights' initial standard deviation") Float initStd;
        @Option(names = {"-o", "--out"}, required = true, description = "output directory (checkpoint.safetensors, metrics.jsonl)") Path out;
        @Option(names = "--steps", defaultValue = "2000") int steps;
        @Option(names = "--batch", defaultValue = "256") int batch;
        @Option(names = "--lr", defaultValue = "3e-3") float lr;
        @Option(names = "--min-lr", defaultValue = "3e-5") float minLr;
        @Option(names = "--warmup", description = "warm-up steps (default: 5 %% of --steps)") Integer warmup;
        @Option(names = "--weight-decay", defaultValue = "1e-4") float weightDecay;
        @Option(names = "--clip", defaultValue = "1.0") float clip;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--threads", description = "worker threads (default: all cores)") Integer threads;

        @Override
        public Integer call() {
            ModelSpec p = ModelSpec.preset(preset);
            ModelSpec spec = new ModelSpec(layers == null && heads == null && headDim == null && tokens == null && initStd == null ? p.name() : p.name() + "-custom",
                    tokens == null ? p.tokens() : parseTokens(tokens), layers == null ? p.layers() : ModelSpec.parseLayers(layers),
                    heads == null ? p.heads() : heads, headDim == null ? p.headDim() : headDim, initStd == null ? p.initStd() : initStd);
            LinearDynamics task = LinearDynamics.PAPER;
            AttentionModel model = new AttentionModel(spec, task.dim(), seed);
            MesaTrainer.Config config = new MesaTrainer.Config(steps, batch, new CosineSchedule(warmup == null ? Math.max(1, steps / 20) : warmup, steps, lr, minLr),
                    weightDecay, clip, seed, Math.max(1, Math.min(100, steps / 10)));
            System.err.printf("model %s: %s, %d heads × %d, %s tokens, %,d parameters%n", spec.name(), spec.layers(), spec.heads(), spec.headDim(),
                    spec.tokens().name().toLowerCase(Locale.ROOT), model.parameterCount());
            double[] losses = MesaTrainer.train(model, task, config, new Workers(threads == null ? defaultThreads() : threads), out);
            System.out.printf("final training loss %.4f; checkpoint and metrics in %s%n", losses[losses.length - 1], out);
            return 0;
        }
    }

    static TokenLayout parseTokens(String text) {
        try {
            return TokenLayout.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tokens must be constructed or raw, got '" + text + "'");
        }
    }

    @Command(name = "analyse", aliases = "analyze", mixinStandardHelpOptions = true,
            description = "Evaluate a trained model against the GD and least-squares baselines; weight structure (1 linear layer) and linear probes.")
    static final class Analyse implements Callable<Integer> {
        @Option(names = {"-i", "--in"}, required = true, description = "a directory written by `t2 mesa train`") Path in;
        @Option(names = "--eval-batch", defaultValue = "1024", description = "held-out sequences for losses and probes") int evalBatch;
        @Option(names = "--threads", description = "worker threads (default: all cores)") Integer threads;

        @Override
        public Integer call() {
            MesaTrainer.Trained t = MesaTrainer.load(in);
            System.out.print(MesaAnalysis.describe(t.model(), t.task(), evalBatch, new Workers(threads == null ? defaultThreads() : threads)));
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Run everything with fixed seeds (baselines, checks, training of every preset, analysis, probes) and write the mesa section of REPORT.md with SVG plots.")
    static final class Report implements Callable<Integer> {
        @Option(names = "--steps", defaultValue = "" + MesaReport.DEFAULT_STEPS, description = "training steps per model (default: ${DEFAULT-VALUE})") int steps;
        @Option(names = "--report", defaultValue = "REPORT.md", description = "the report file; only the span between the mesa markers is replaced") Path report;
        @Option(names = "--figures", defaultValue = "docs/mesa", description = "directory for the SVG figures (linked relative to the report)") Path figures;
        @Option(names = "--runs", defaultValue = "target/mesa-runs", description = "training directories (checkpoints, metrics); a finished run is reused") Path runs;
        @Option(names = "--threads", description = "worker threads (default: all cores)") Integer threads;

        @Override
        public Integer call() throws Exception {
            MesaReport.Summary s = MesaReport.run(new MesaReport.Options(steps, report, figures, runs), new Workers(threads == null ? defaultThreads() : threads));
            System.out.println(s.table());
            System.out.println("wrote " + report + " and figures in " + figures);
            return 0;
        }
    }
}
