package dev.t2.rl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.io.ModelLoader;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.RandomWeights;
import dev.t2.model.RopeScaling;
import dev.t2.svf.ExpertFile;
import dev.t2.svf.SvdCache;
import dev.t2.svf.SvfPolicy;
import dev.t2.svf.SvfTargets;
import dev.t2.tensor.DType;
import dev.t2.testing.SharedFiles;
import dev.t2.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REINFORCE on SVF scales learns a rewarded behaviour and it carries to held-out prompts; a killed run
 * resumes to the same result. The task: start the answer with a letter from a to m (a tiny random model
 * with stories260K's real tokenizer does so for some prompts, so greedy rollouts carry signal both ways).
 */
class ReinforceTrainerTest {
    static final ModelConfig C = new ModelConfig("LlamaForCausalLM", 32, 48, 2, 4, 2, 8, 512, 64, 1e-5f, 10000, RopeScaling.NONE,
            false, true, false, 0, 1, List.of(2));

    @TempDir
    Path tmp;

    static Tokenizer tokenizer() {
        return ModelLoader.load(SharedFiles.shared().resolve("models/stories260K")).tokenizer();
    }

    static List<Episode> episodes(Tokenizer tok, int count, int seed) {
        Random rnd = new Random(seed);
        String[] words = {"cat", "dog", "sun", "tree", "ball", "red", "big", "mom", "park", "toy", "bird", "sky"};
        List<Episode> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String prompt = words[rnd.nextInt(words.length)] + " " + words[rnd.nextInt(words.length)] + " " + words[rnd.nextInt(words.length)];
            out.add(new Episode(seed + "-" + i, tok.encode(prompt, true), ReinforceTrainerTest::reward));
        }
        return out;
    }

    static double reward(String text) {
        String t = text.strip();
        return !t.isEmpty() && t.charAt(0) >= 'a' && t.charAt(0) <= 'm' ? 1 : -1;
    }

    SvfPolicy policy(LlamaWeights base) {
        List<String> names = SvfTargets.ALL.names(C.numLayers());
        return new SvfPolicy(C, base, SvdCache.loadOrCompute(base, names, tmp.resolve("svd")), SvfTargets.ALL, 1f, 42);
    }

    static ReinforceConfig config(int steps) {
        return new ReinforceConfig(steps, 16, 0.05f, 1e-3f, 0f, 0f, 1, 10, false, 0f, true, 42);
    }

    @Test
    void trainingRaisesHeldOutRewardAndResumesIdentically() throws Exception {
        Tokenizer tok = tokenizer();
        LlamaWeights base = RandomWeights.create(C, DType.F32, 11, 0.5);
        List<Episode> train = episodes(tok, 320, 1), heldOut = episodes(tok, 40, 2);

        ReinforceTrainer full = new ReinforceTrainer(policy(base), tok, Set.of(2), List.of(), config(80), train, heldOut,
                tmp.resolve("full"), Map.of("task", "first-letter-a-to-m"));
        double best = full.run();
        List<String> metrics = Files.readAllLines(full.metricsFile());
        double baseAccuracy = new com.fasterxml.jackson.databind.ObjectMapper().readTree(metrics.getFirst()).get("val_accuracy").asDouble();
        assertThat(baseAccuracy).as("base model on held-out prompts").isLessThan(0.7);
        assertThat(best).as("best expert on held-out prompts").isGreaterThan(baseAccuracy + 0.3);
        assertThat(ExpertFile.read(full.expertFile()).info()).containsEntry("task", "first-letter-a-to-m");

        // the same run killed after 50 steps and resumed
        Path dir = tmp.resolve("resumed");
        new ReinforceTrainer(policy(base), tok, Set.of(2), List.of(), config(50), train, heldOut, dir, Map.of("task", "first-letter-a-to-m")).run();
        ReinforceTrainer resumed = new ReinforceTrainer(policy(base), tok, Set.of(2), List.of(), config(80), train, heldOut, dir,
                Map.of("task", "first-letter-a-to-m"));
        assertThat(resumed.run()).isEqualTo(best);
        List<String> resumedMetrics = Files.readAllLines(resumed.metricsFile());
        assertThat(strip(resumedMetrics)).isEqualTo(strip(metrics));
        var a = ExpertFile.read(full.expertFile()).scales();
        var b = ExpertFile.read(resumed.expertFile()).scales();
        for (String k : a.keySet()) assertThat(b.get(k)).containsExactly(a.get(k));
    }

    /** Metric lines without their wall-clock speed, which differs between runs. */
    private static List<String> strip(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll(",\"tokens_per_s\":[^,}]*", "")).toList();
    }
}
