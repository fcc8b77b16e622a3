package dev.t2.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.model.LlamaWeights;
import dev.t2.model.RandomWeights;
import dev.t2.svf.ExpertFile;
import dev.t2.svf.LoraPolicy;
import dev.t2.svf.SvfExpert;
import dev.t2.svf.SvfTargets;
import dev.t2.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's tables come from the evaluation summaries and expert files it is given, and say "—" for what is missing. */
class PaperTablesTest {
    @TempDir
    Path tmp;

    @Test
    void tablesAndFiguresComeFromTheRuns() throws Exception {
        Path runs = tmp.resolve("runs"), eval = Files.createDirectories(runs.resolve("eval"));
        summary(eval, "base__synth-math", 0.41, 0.344, 0.479, 10, null);
        summary(eval, "svf-math__synth-math", 0.55, 0.48, 0.62, 10, null);
        summary(eval, "lora-code__synth-math-hard", 0.30, 0.2, 0.4, 10, null);
        summary(eval, "lora-math__synth-math-hard", 0.35, 0.25, 0.45, 10, null);
        summary(eval, "prompt__synth-math-hard", 0.40, 0.3, 0.5, 20, 5.0);
        Files.writeString(eval.resolve("cem-synth-math-hard.jsonl"),
                "{\"generation\":0,\"best_accuracy\":0.5,\"best_log_likelihood\":-1,\"accuracies\":[0.5,0.1]}\n"
                        + "{\"generation\":1,\"best_accuracy\":0.7,\"best_log_likelihood\":-1,\"accuracies\":[0.7,0.3]}\n");
        var c = new dev.t2.model.ModelConfig("Qwen2ForCausalLM", 16, 24, 2, 4, 2, 4, 32, 64, 1e-5f, 10000, dev.t2.model.RopeScaling.NONE,
                false, true, true, 0, 1, List.of(2));
        LlamaWeights base = RandomWeights.create(c, DType.F32, 1, 0.1);
        Map<String, float[]> z = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (String p : SvfTargets.MLP.names(c.numLayers())) {
            int[] shape = p.endsWith("down_proj") ? new int[] {c.hiddenSize(), c.intermediateSize()} : new int[] {c.intermediateSize(), c.hiddenSize()};
            shapes.put(p, shape);
            float[] v = new float[Math.min(shape[0], shape[1])];
            java.util.Arrays.fill(v, 1.1f);
            z.put(p, v);
        }
        Files.createDirectories(runs.resolve("svf-math"));
        ExpertFile.write(runs.resolve("svf-math/expert.safetensors"), new SvfExpert(z, shapes, "fp", c.architecture(), SvfTargets.MLP, Map.of()));
        Files.writeString(runs.resolve("svf-math/metrics.jsonl"), "{\"step\":0,\"reward_mean\":-0.5}\n{\"step\":0,\"val_accuracy\":0.3,\"val_items\":100}\n"
                + "{\"step\":1,\"reward_mean\":0.2}\n{\"step\":5,\"val_accuracy\":0.5,\"val_items\":100}\n");
        Files.createDirectories(runs.resolve("lora-math"));
        LoraPolicy lora = new LoraPolicy(c, base, List.of("self_attn.q_proj", "self_attn.v_proj"), 2, 4, 1);
        lora.save(runs.resolve("lora-math/expert.safetensors"), Map.of());

        Path baseDir = Files.createDirectories(tmp.resolve("base"));
        Files.writeString(baseDir.resolve("pretrain-metrics.jsonl"), "{\"step\":0,\"loss\":4.0}\n{\"step\":1,\"loss\":2.0}\n{\"step\":2,\"loss\":1.0}\n");
        String md = new PaperTables(runs, baseDir, tmp.resolve("figures"), tmp).render();
        assertThat(md).contains("for 3 steps; final loss 2.333");
        assertThat(md).contains("| synth-math | 41.0 [34.4–47.9] | 55.0 [48.0–62.0] | — |");
        long svfParams = z.values().stream().mapToLong(v -> v.length).sum();
        assertThat(md).contains(String.format("| trainable parameters per expert | — | %,d | %,d (rank 2 on q_proj, v_proj) |", svfParams, lora.parameterCount()));
        assertThat(md).contains("| synth-math-hard | — | 35.0 [25.0–45.0] (math) | — | 40.0 [30.0–50.0] | — | — |"); // best LoRA is the better one
        assertThat(md).contains("| synth-math-hard | prompt | 5.0 | 20.0 | 25 % |");
        for (String f : List.of("pretrain-loss.svg", "rl-validation.svg", "rl-reward.svg", "z-math.svg", "cem.svg")) {
            assertThat(tmp.resolve("figures").resolve(f)).exists();
            assertThat(md).contains("](figures/" + f + ")");
        }
        assertThat(Files.readString(tmp.resolve("figures/cem.svg"))).contains("synth-math-hard best");
    }

    @Test
    void findingsFollowTheNumbersByFixedRules() throws Exception {
        Path runs = tmp.resolve("runs"), eval = Files.createDirectories(runs.resolve("eval"));
        summary(eval, "base__synth-math", 0.41, 0.344, 0.479, 10, null);
        summary(eval, "svf-math__synth-math", 0.55, 0.48, 0.62, 10, null);
        summary(eval, "base__synth-reasoning", 0.35, 0.29, 0.42, 10, null);
        summary(eval, "base__synth-code", 0.985, 0.957, 0.995, 10, null);
        summary(eval, "svf-reasoning__synth-reasoning", 0.40, 0.335, 0.469, 10, null);
        summary(eval, "base__synth-reasoning-4", 0.25, 0.2, 0.31, 10, null);
        Files.writeString(eval.resolve("prompt__synth-reasoning-4.json"), "{\"items\":200,\"accuracy\":0.3,\"low\":0.24,\"high\":0.37,"
                + "\"seconds\":4.0,\"pass1_seconds\":10.0,\"pass1_choices\":{\"base\":128,\"reasoning\":72}}\n");
        summary(eval, "classifier__synth-reasoning-4", 0.28, 0.22, 0.35, 5, 12.0);
        summary(eval, "fewshot__synth-reasoning-4", 0.45, 0.38, 0.52, 4, 200.0);
        String md = new PaperTables(runs, null, tmp.resolve("figures"), tmp).render();
        assertThat(md).contains("- **Base.** Partially competent (above chance, below ceiling) on math 41.0 % (chance 0 %); **not** on "
                + "code 98.5 % (chance 0 %; at the ceiling), reasoning 35.0 % (chance 33 %).");
        assertThat(md).contains("below ceiling when its high end is below 95 %.");
        assertThat(md).contains("- **Table 1.** SVF expert vs base: math +14.0 points (beyond the intervals), reasoning +5.0 points (within the intervals).");
        assertThat(md).contains("- **Table 2, synth-reasoning-4.** Transformer² vs base: prompt +5.0 points (within the intervals), pass 1 chose base 64 %, "
                + "reasoning 36 %; classifier +3.0 points (within the intervals); fewshot +20.0 points (beyond the intervals). "
                + "The ordering prompt ≤ classifier ≤ few-shot does **not** hold in the point estimates.");
        assertThat(md).contains("- **Table 3.** Pass 1 takes prompt 2.5–2.5×, classifier 2.4–2.4×, fewshot 50.0–50.0× the time of pass 2.");
        assertThat(md).doesNotContain("synth-math-hard.**");
    }

    private static void summary(Path eval, String name, double acc, double low, double high, double seconds, Double pass1) throws Exception {
        String json = String.format(java.util.Locale.ROOT, "{\"task\":\"t\",\"split\":\"test\",\"items\":200,\"correct\":%d,\"accuracy\":%s,\"low\":%s,\"high\":%s,\"seconds\":%s,\"generatedTokens\":1%s}",
                Math.round(acc * 200), acc, low, high, seconds, pass1 == null ? "" : ",\"pass1_seconds\":" + pass1);
        Files.writeString(eval.resolve(name + ".json"), json + "\n");
    }
}
