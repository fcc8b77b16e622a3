package dev.t2.rl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.model.ModelConfig;
import dev.t2.model.Parameter;
import dev.t2.model.RandomWeights;
import dev.t2.model.RopeScaling;
import dev.t2.model.TrainableWeights;
import dev.t2.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training from scratch learns a corpus, follows its schedule, and resumes to bit-identical weights. */
class PretrainerTest {
    static final ModelConfig C = new ModelConfig("LlamaForCausalLM", 32, 64, 2, 4, 2, 8, 24, 64, 1e-5f, 10000, RopeScaling.NONE,
            false, true, false, 0, 1, List.of(2));

    @TempDir
    Path tmp;

    static List<int[]> corpus() {
        // counting sequences: each token is the previous plus a per-sequence step (mod 20), offset by 3
        Random rnd = new Random(1);
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < 64; s++) {
            int start = rnd.nextInt(20), step = 1 + rnd.nextInt(2);
            int[] seq = new int[12];
            seq[0] = 1;
            for (int i = 1; i < seq.length; i++) seq[i] = 3 + (start + step * i) % 20;
            out.add(seq);
        }
        return out;
    }

    static int[] everyToken() {
        int[] ones = new int[corpus().size()];
        java.util.Arrays.fill(ones, 1);
        return ones;
    }

    static Pretrainer.Config config(int steps) {
        return new Pretrainer.Config(steps, 16, new CosineSchedule(5, 60, 1e-2f, 1e-3f), 0.01f, 1f, 10, 7);
    }

    @Test
    void lossFallsAndAKilledRunResumesIdentically() throws Exception {
        TrainableWeights full = TrainableWeights.allTrainable(C, RandomWeights.create(C, DType.F32, 3, 0.02));
        double last = Pretrainer.train(full, corpus(), everyToken(), config(60), tmp.resolve("full"));
        var lines = Files.readAllLines(tmp.resolve("full/metrics.jsonl"));
        double first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.getFirst()).get("loss").asDouble();
        assertThat(first).isCloseTo(Math.log(24), Offset.offset(0.3)); // random init ≈ uniform over the vocabulary
        assertThat(last).isLessThan(first * 0.5);

        TrainableWeights resumed = TrainableWeights.allTrainable(C, RandomWeights.create(C, DType.F32, 3, 0.02));
        Pretrainer.train(resumed, corpus(), everyToken(), config(30), tmp.resolve("resumed"));
        TrainableWeights again = TrainableWeights.allTrainable(C, RandomWeights.create(C, DType.F32, 3, 0.02));
        Pretrainer.train(again, corpus(), everyToken(), config(60), tmp.resolve("resumed"));
        for (int i = 0; i < full.trainable().size(); i++) {
            Parameter a = full.trainable().get(i), b = again.trainable().get(i);
            assertThat(b.value()).as(a.name()).containsExactly(a.value());
        }
        assertThat(Files.readAllLines(tmp.resolve("resumed/metrics.jsonl"))).hasSize(60);
    }

    @Test
    void withPromptLengthsOnlyTheResponseIsLearned() throws Exception {
        // the first 6 tokens (the "prompt") are the counting sequence too, so learning them would lower their loss
        int[] prompts = new int[corpus().size()];
        java.util.Arrays.fill(prompts, 6);
        TrainableWeights w = TrainableWeights.allTrainable(C, RandomWeights.create(C, DType.F32, 3, 0.02));
        Pretrainer.train(w, corpus(), prompts, config(60), tmp.resolve("response"));
        List<int[]> seqs = corpus();
        float[] scale = new float[seqs.size()];
        java.util.Arrays.fill(scale, 1f / seqs.size());
        int[] none = new int[seqs.size()];
        java.util.Arrays.fill(none, 1);
        // loss over the whole sequences vs over the responses alone (positions ≥ 6), same weights
        double all = dev.t2.model.Backprop.run(w, dev.t2.model.TokenLoss.completions(seqs, none, scale), true).loss() / 11;
        double response = dev.t2.model.Backprop.run(w, dev.t2.model.TokenLoss.completions(seqs, prompts, scale), true).loss() / 6;
        assertThat(response).isLessThan(Math.log(24) * 0.5);
        // the 5 prompt targets still cost about as much as at random init: they were never trained on
        double promptPart = (all * 11 - response * 6) / 5;
        assertThat(promptPart).isGreaterThan(response * 2);
    }

    @Test
    void scheduleWarmsUpThenDecaysToTheMinimum() {
        CosineSchedule s = new CosineSchedule(10, 110, 1f, 0.1f);
        assertThat(s.at(0)).isCloseTo(1f / 11, Offset.offset(1e-6f));
        assertThat(s.at(10)).isCloseTo(1f, Offset.offset(1e-6f));
        assertThat(s.at(60)).isCloseTo(0.55f, Offset.offset(1e-4f));
        assertThat(s.at(110)).isEqualTo(0.1f);
        for (int i = 11; i < 110; i++) assertThat(s.at(i)).isLessThanOrEqualTo(s.at(i - 1));
    }
}
