package dev.t2.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.io.ModelLoader;
import dev.t2.model.KvCache;
import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.RandomWeights;
import dev.t2.tensor.DType;
import dev.t2.tensor.MemoryBandwidth;
import dev.t2.tensor.Parallel;
import dev.t2.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code t2 bench}: decode and prefill speed on a model with real shapes, next to the machine's memory
 * bandwidth measured in the same run. Decode streams every weight once per token, so its achieved GB/s
 * against the bandwidth says how close to the machine's limit it runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure prefill and decode tokens/s and weight-streaming GB/s against the measured memory bandwidth.")
final class BenchCommand implements Callable<Integer> {
    /** Decode steps before any is timed. */
    static final int WARM_UP_STEPS = 80;
    @Option(names = "--shape", description = "synthetic model with a real config's shapes: qwen2.5-0.5b or llama-3.2-1b (default: ${DEFAULT-VALUE})",
            defaultValue = "qwen2.5-0.5b")
    String shape;

    @Option(names = "--config", description = "synthetic model from this config.json instead of --shape")
    Path config;

    @Option(names = {"-m", "--model"}, description = "benchmark a real model instead of random weights")
    Path model;

    @Option(names = "--dtype", description = "dtype of synthetic weights (default: ${DEFAULT-VALUE})", defaultValue = "BF16")
    DType dtype;

    @Option(names = "--prompt-tokens", description = "prefill length (default: ${DEFAULT-VALUE})", defaultValue = "512")
    int promptTokens;

    @Option(names = "--decode-tokens", description = "decode steps to time, after " + WARM_UP_STEPS + " untimed ones (default: ${DEFAULT-VALUE})", defaultValue = "64")
    int decodeTokens;

    @Option(names = "--json", description = "print one JSON line instead of a table")
    boolean json;

    @Option(names = "--train", description = "also time forward+backward steps of SVF (MLP targets), LoRA (q, v; rank 16) and full (every weight) training")
    boolean train;

    @Option(names = "--svd", description = "also time one SVD per distinct MLP matrix shape and project the whole model's t2 svd time")
    boolean svd;

    @Option(names = "--adapt", description = "also compare applying an expert to one MLP matrix: build W' once vs the factorised U·diag·Vᵀ per token")
    boolean adapt;

    @Option(names = "--train-tokens", description = "tokens per training step (4 sequences) (default: ${DEFAULT-VALUE})", defaultValue = "512")
    int trainTokens;

    @Override
    public Integer call() throws IOException {
        if (promptTokens < 1) throw new IllegalArgumentException("--prompt-tokens must be at least 1, got " + promptTokens);
        if (decodeTokens < 1) throw new IllegalArgumentException("--decode-tokens must be at least 1, got " + decodeTokens);
        String name;
        LlamaModel m;
        if (model != null) {
            m = ModelLoader.load(model).model();
            name = model.toString();
        } else {
            ModelConfig c = syntheticConfig();
            name = (config != null ? config.toString() : shape) + " (random " + dtype + ")";
            System.err.println("building " + name + " ...");
            m = new LlamaModel(c, RandomWeights.create(c, dtype, 1, 0.02));
        }
        ModelConfig c = m.config();
        long streamedBytes = decodeBytesPerToken(m.weights());
        System.err.println("measuring memory bandwidth ...");
        double bandwidth = MemoryBandwidth.measureGBs();

        SplittableRandom rnd = new SplittableRandom(7);
        int[] prompt = rnd.ints(promptTokens, 0, c.vocabSize()).toArray();
        System.err.println("warming up ...");
        KvCache warm = m.newCache();
        m.forward(warm, java.util.Arrays.copyOf(prompt, Math.min(64, prompt.length)));
        // Decode steps until the JIT has compiled the whole step: a compile running beside the kernels takes one of
        // the cores (measured: 36 steps in, two steps of 60 ms instead of 36 ms on Qwen2.5-0.5B shapes with 2 cores).
        for (int i = 0; i < WARM_UP_STEPS; i++) m.forward(warm, prompt[i % prompt.length]);

        System.err.println("prefill of " + promptTokens + " tokens ...");
        double prefillSeconds = Double.MAX_VALUE;
        for (int rep = 0; rep < 2; rep++) {
            KvCache cache = m.newCache();
            long t0 = System.nanoTime();
            m.forward(List.of(new dev.t2.model.SequenceChunk(cache, prompt)), LlamaModel.Logits.LAST_PER_CHUNK);
            prefillSeconds = Math.min(prefillSeconds, (System.nanoTime() - t0) / 1e9);
        }
        System.err.println("decode of " + decodeTokens + " tokens ...");
        KvCache cache = m.newCache();
        m.forward(cache, java.util.Arrays.copyOf(prompt, Math.min(16, prompt.length)));
        double[] steps = new double[decodeTokens];
        double total = 0;
        for (int i = 0; i < decodeTokens; i++) {
            long t0 = System.nanoTime();
            m.forward(cache, prompt[i % prompt.length]);
            steps[i] = (System.nanoTime() - t0) / 1e9;
            total += steps[i];
        }
        // The median step shrugs off a neighbour's burst on a shared machine; the mean (the headline) does not.
        double[] sorted = steps.clone();
        java.util.Arrays.sort(sorted);
        double bestStep = sorted[0], medianStep = sorted[sorted.length / 2];
        double decodeTps = decodeTokens / total;
        double decodeGBs = streamedBytes * decodeTps / 1e9;
        double prefillTps = promptTokens / prefillSeconds;
        var out = new ObjectMapper().createObjectNode();
        out.put("model", name);
        out.put("parameters", m.weights().parameterCount());
        out.put("threads", Parallel.threads());
        out.put("bandwidth_gbs", round(bandwidth));
        out.put("decode_bytes_per_token", streamedBytes);
        out.put("decode_tokens_per_s", round(decodeTps));
        out.put("decode_gbs", round(decodeGBs));
        out.put("decode_fraction_of_bandwidth", round(decodeGBs / bandwidth));
        out.put("decode_best_step_gbs", round(streamedBytes / bestStep / 1e9));
        out.put("decode_median_step_gbs", round(streamedBytes / medianStep / 1e9));
        out.put("prefill_tokens", promptTokens);
        out.put("prefill_tokens_per_s", round(prefillTps));
        out.put("prefill_speedup_vs_one_matvec_per_token", round(prefillTps / decodeTps));
        if (train) trainingSpeed(m, out);
        if (svd) svdSpeed(m, out);
        if (adapt) adaptSpeed(m, out);
        if (json) {
            System.out.println(out);
        } else {
            System.out.printf("model              %s, %,d parameters, %d threads%n", name, m.weights().parameterCount(), Parallel.threads());
            System.out.printf("memory bandwidth   %.1f GB/s (measured now)%n", bandwidth);
            System.out.printf("decode             %.2f tokens/s, %.1f GB/s of weights = %.0f %% of bandwidth (median step %.0f %%, best step %.1f GB/s)%n",
                    decodeTps, decodeGBs, 100 * decodeGBs / bandwidth, 100 * streamedBytes / medianStep / 1e9 / bandwidth,
                    streamedBytes / bestStep / 1e9);
            System.out.printf("prefill (%d tok)  %.1f tokens/s = %.1f× one matvec per token%n", promptTokens, prefillTps, prefillTps / decodeTps);
            if (svd) {
                System.out.printf("SVD                %s per MLP matrix shape; t2 svd (MLP targets, %d matrices, %d threads) ≈ %.0f s projected%n",
                        out.get("svd_seconds_by_shape"), out.get("svd_matrices").asInt(), Parallel.threads(), out.get("svd_projected_seconds").asDouble());
            }
            if (adapt) {
                System.out.printf("expert on one %s matrix: %.3f s to build W' once; per call by batch size %s%n", out.get("adapt_shape").asText(),
                        out.get("adapt_build_seconds").asDouble(), out.get("adapt_per_batch"));
            }
            if (train) {
                System.out.printf("f32 GEMM           %.1f GFLOP/s (1024×1024×1024, measured now)%n", out.get("gemm_gflops").asDouble());
                System.out.printf("adapted weights    %.2f s to build W' of every MLP matrix for one mixture (pass 2 set-up)%n",
                        out.get("adapt_materialize_seconds").asDouble());
                System.out.printf("SVF train step     %.1f tokens/s forward+backward, %.1f GFLOP/s%n", out.get("svf_train_tokens_per_s").asDouble(),
                        out.get("svf_train_gflops").asDouble());
                System.out.printf("LoRA train step    %.1f tokens/s forward+backward, %.1f GFLOP/s%n", out.get("lora_train_tokens_per_s").asDouble(),
                        out.get("lora_train_gflops").asDouble());
                System.out.printf("full train step    %.1f tokens/s forward+backward of every weight%s, %.1f GFLOP/s%n", out.get("full_train_tokens_per_s").asDouble(),
                        out.get("full_train_recompute").asBoolean() ? " (activations recomputed)" : "", out.get("full_train_gflops").asDouble());
            }
        }
        return 0;
    }

    /**
     * Times SVF and LoRA training steps (frozen base, packed sequences, activation recompute). SVF factors are
     * random matrices of the real shapes: the time of a step depends only on shapes, and a real SVD of every
     * MLP matrix would take longer than the benchmark. FLOPs counted: 2·P·T forward, 2·P·T for input gradients,
     * one more forward for recompute, plus each adaptation's own work.
     */
    private void trainingSpeed(LlamaModel m, com.fasterxml.jackson.databind.node.ObjectNode out) {
        ModelConfig c = m.config();
        double gemm = gemmGflops();
        out.put("gemm_gflops", round(gemm));
        SplittableRandom rnd = new SplittableRandom(3);
        List<int[]> seqs = new java.util.ArrayList<>();
        for (int s = 0; s < 4; s++) seqs.add(rnd.ints(Math.max(2, trainTokens / 4), 0, c.vocabSize()).toArray());
        var loss = dev.t2.model.TokenLoss.nextToken(seqs);
        long matrixParams = 0;
        for (var l : m.weights().layers()) {
            for (Tensor t : new Tensor[] {l.queryProj(), l.keyProj(), l.valueProj(), l.outputProj(), l.gateProj(), l.upProj(), l.downProj()}) matrixParams += t.size();
        }
        matrixParams += m.weights().lmHead().size();
        int tokens = seqs.stream().mapToInt(a -> a.length).sum();
        double baseFlops = 3.0 * 2 * matrixParams * tokens;

        java.util.Map<String, dev.t2.svf.Svd> svds = new java.util.LinkedHashMap<>();
        double svfExtra = 0;
        for (String name : dev.t2.svf.SvfTargets.MLP.names(c.numLayers())) {
            Tensor w = m.weights().byName().get(name + ".weight");
            int o = w.rows(), i = w.cols(), r = Math.min(o, i);
            svds.put(name, new dev.t2.svf.Svd(o, i, randomFloats(rnd, o * r), randomFloats(rnd, r), randomFloats(rnd, i * r)));
            svfExtra += 2.0 * o * i * r + 2.0 * tokens * r * (o + i);
        }
        var svf = new dev.t2.svf.SvfPolicy(c, m.weights(), svds, dev.t2.svf.SvfTargets.MLP, 1f, 1);
        long tm = System.nanoTime();
        svf.model(); // per-request weights: every adapted W' built once, as pass 2 does for a new mixture
        out.put("adapt_materialize_seconds", round((System.nanoTime() - tm) / 1e9));
        double svfSeconds = timeSteps(svf.trainable(), loss, svf, true);
        out.put("svf_trainable_parameters", svf.trainable().trainableCount());
        out.put("svf_train_tokens_per_s", round(tokens / svfSeconds));
        out.put("svf_train_gflops", round((baseFlops + svfExtra) / svfSeconds / 1e9));

        var lora = new dev.t2.svf.LoraPolicy(c, m.weights(), List.of("self_attn.q_proj", "self_attn.v_proj"), 16, 32, 1);
        double loraSeconds = timeSteps(lora.trainable(), loss, null, true);
        double loraExtra = 0;
        for (var l : m.weights().layers()) loraExtra += 3.0 * 2 * 16 * tokens * (l.queryProj().rows() + l.queryProj().cols() + l.valueProj().rows() + l.valueProj().cols()) * 2;
        out.put("lora_trainable_parameters", lora.parameterCount());
        out.put("lora_train_tokens_per_s", round(tokens / loraSeconds));
        out.put("lora_train_gflops", round((baseFlops + loraExtra) / loraSeconds / 1e9));

        // Every weight trains, as t2 pretrain does: weight gradients add 2·P·T; activations are recomputed only when they do not fit.
        boolean recompute = dev.t2.model.Backprop.recomputeNeeded(c, tokens);
        var full = dev.t2.model.TrainableWeights.allTrainable(c, m.weights());
        double fullSeconds = timeSteps(full, loss, null, recompute);
        out.put("full_train_recompute", recompute);
        out.put("full_train_tokens_per_s", round(tokens / fullSeconds));
        out.put("full_train_gflops", round((recompute ? 4.0 : 3.0) * 2 * matrixParams * tokens / fullSeconds / 1e9));
    }

    /**
     * Building W' = U·diag(σ⊙z)·Vᵀ once and multiplying densely, against the factorised product (x·V)·diag·Uᵀ
     * per batch, on the model's gate-projection shape (random factors: only shapes matter for time).
     */
    private void adaptSpeed(LlamaModel m, com.fasterxml.jackson.databind.node.ObjectNode out) {
        Tensor w = m.weights().layers().getFirst().gateProj();
        int o = w.rows(), i = w.cols(), r = Math.min(o, i);
        SplittableRandom rnd = new SplittableRandom(5);
        var svd = new dev.t2.svf.Svd(o, i, randomFloats(rnd, o * r), randomFloats(rnd, r), randomFloats(rnd, i * r));
        float[] z = randomFloats(rnd, r);
        double build = Double.MAX_VALUE;
        float[] dense = null;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            dense = svd.reconstruct(z, 1f);
            build = Math.min(build, (System.nanoTime() - t0) / 1e9);
        }
        out.put("adapt_shape", o + "x" + i);
        out.put("adapt_build_seconds", round(build));
        var perBatch = out.putObject("adapt_per_batch");
        for (int batch : new int[] {1, 16, 256}) {
            float[] x = randomFloats(rnd, batch * i), y = new float[batch * o], p = new float[batch * r];
            double denseBest = Double.MAX_VALUE, factBest = Double.MAX_VALUE;
            for (int rep = 0; rep < 4; rep++) {
                long t0 = System.nanoTime();
                dev.t2.tensor.MatMul.matmulF32(x, batch, i, dense, true, y);
                long t1 = System.nanoTime();
                dev.t2.tensor.MatMul.matmulF32(x, batch, i, svd.v(), false, p); // [batch, r]
                for (int b = 0; b < batch; b++) for (int k = 0; k < r; k++) p[b * r + k] *= svd.sigma()[k] * z[k];
                dev.t2.tensor.MatMul.matmulF32(p, batch, r, svd.u(), true, y);
                long t2 = System.nanoTime();
                if (rep > 0) {
                    denseBest = Math.min(denseBest, (t1 - t0) / 1e9);
                    factBest = Math.min(factBest, (t2 - t1) / 1e9);
                }
            }
            var entry = perBatch.putObject(Integer.toString(batch));
            entry.put("dense_ms", round(denseBest * 1e3));
            entry.put("factorised_ms", round(factBest * 1e3));
        }
    }

    /** Times the SVD of one matrix of each MLP shape; t2 svd runs one matrix per thread, so total ≈ Σ time / threads. */
    private void svdSpeed(LlamaModel m, com.fasterxml.jackson.databind.node.ObjectNode out) {
        var names = dev.t2.svf.SvfTargets.MLP.names(m.config().numLayers());
        java.util.Map<String, Double> secondsByShape = new java.util.LinkedHashMap<>();
        double total = 0;
        for (String name : names) {
            Tensor w = m.weights().byName().get(name + ".weight");
            String shape = w.rows() + "x" + w.cols();
            if (!secondsByShape.containsKey(shape)) {
                System.err.println("SVD of a " + shape + " matrix ...");
                long t0 = System.nanoTime();
                dev.t2.svf.Svd.of(w);
                secondsByShape.put(shape, round((System.nanoTime() - t0) / 1e9));
            }
            total += secondsByShape.get(shape);
        }
        var node = out.putObject("svd_seconds_by_shape");
        secondsByShape.forEach(node::put);
        out.put("svd_matrices", names.size());
        out.put("svd_projected_seconds", round(total / Parallel.threads()));
    }

    /** Best of two steps after a warm-up; SVF's W' is rebuilt each step as training does after every update. */
    private static double timeSteps(dev.t2.model.TrainableWeights w, dev.t2.model.TokenLoss loss, dev.t2.svf.SvfPolicy svf, boolean recompute) {
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            if (svf != null) for (var p : svf.parameters()) p.value()[0] += 1e-3f; // as after an optimizer step
            long t0 = System.nanoTime();
            w.zeroGrad();
            dev.t2.model.Backprop.run(w, loss, recompute);
            if (rep > 0) best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    private static double gemmGflops() {
        int n = 1024;
        float[] a = randomFloats(new SplittableRandom(1), n * n), b = randomFloats(new SplittableRandom(2), n * n), c = new float[n * n];
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 4; rep++) {
            long t0 = System.nanoTime();
            dev.t2.tensor.MatMul.matmulF32(a, n, n, b, true, c);
            if (rep > 0) best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    private static float[] randomFloats(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextDouble() - 0.5) * 0.1f;
        return v;
    }

    private ModelConfig syntheticConfig() throws IOException {
        if (config != null) return ModelConfig.readHuggingFace(config);
        try (InputStream in = BenchCommand.class.getResourceAsStream("/bench/" + shape + ".json")) {
            if (in == null) throw new IllegalArgumentException("unknown --shape '" + shape + "' (known: qwen2.5-0.5b, llama-3.2-1b)");
            Path tmp = Files.createTempFile("t2-bench", ".json");
            try {
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return ModelConfig.readHuggingFace(tmp);
            } finally {
                Files.delete(tmp);
            }
        }
    }

    /** Bytes one decode step streams: every matrix and the LM head once; the embedding only one row. */
    static long decodeBytesPerToken(LlamaWeights w) {
        long bytes = 0;
        for (Tensor t : w.byName().values()) {
            if (t != w.embedding()) bytes += t.data().byteSize();
        }
        if (w.lmHead() == w.embedding()) bytes += w.embedding().data().byteSize();
        return bytes;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
