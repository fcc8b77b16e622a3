package dev.t2.rl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.RandomWeights;
import dev.t2.model.RopeScaling;
import dev.t2.svf.LoraPolicy;
import dev.t2.svf.SvdCache;
import dev.t2.svf.SvfPolicy;
import dev.t2.svf.SvfTargets;
import dev.t2.tensor.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Next-token fine-tuning lowers the loss for LoRA and for SVF, and the merged LoRA model is what training saw. */
class SupervisedTrainerTest {
    static final ModelConfig C = new ModelConfig("LlamaForCausalLM", 32, 48, 2, 4, 2, 8, 40, 64, 1e-5f, 10000, RopeScaling.NONE,
            false, true, false, 0, 1, List.of(2));

    @TempDir
    Path tmp;

    static List<SupervisedTrainer.Example> copyTask() {
        // answer = the prompt's two tokens again, then EOS: learnable by attention
        Random rnd = new Random(3);
        List<SupervisedTrainer.Example> out = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int a = 3 + rnd.nextInt(30), b = 3 + rnd.nextInt(30);
            out.add(new SupervisedTrainer.Example(new int[] {1, a, b, 35}, new int[] {a, b, 2}));
        }
        return out;
    }

    @Test
    void loraAndSvfBothLowerTheLoss() throws Exception {
        LlamaWeights base = RandomWeights.create(C, DType.F32, 2, 0.3);
        var config = new SupervisedTrainer.Config(30, 16, 1e-2f, 1f, 0f, 7);
        LoraPolicy lora = new LoraPolicy(C, base, List.of("self_attn.q_proj", "self_attn.v_proj", "mlp.up_proj"), 4, 8, 1);
        double before = dev.t2.model.Backprop.run(lora.trainable(), dev.t2.model.TokenLoss.nextToken(List.of(new int[] {1, 5, 6, 35, 5, 6, 2})), false).loss();
        double loraLoss = SupervisedTrainer.train(lora, copyTask(), config, tmp.resolve("lora"), Map.of("task", "copy"));
        SvfPolicy svf = new SvfPolicy(C, base, SvdCache.loadOrCompute(base, SvfTargets.ALL.names(2), tmp.resolve("svd")), SvfTargets.ALL, 1f, 1);
        double svfLoss = SupervisedTrainer.train(svf, copyTask(), new SupervisedTrainer.Config(30, 16, 5e-2f, 1f, 0f, 7), tmp.resolve("svf"), Map.of());
        double initial = Math.log(C.vocabSize()); // a random model is about uniform
        assertThat(loraLoss).isLessThan(initial * 0.8);
        assertThat(svfLoss).isLessThan(initial * 0.95);
        assertThat(tmp.resolve("lora/adapter.safetensors")).exists();
        assertThat(before).isGreaterThan(loraLoss);

        // the merged inference model gives the training graph's log-probabilities
        int[] seq = {1, 9, 12, 35, 9, 12, 2};
        double graph = dev.t2.model.Backprop.run(lora.trainable(), dev.t2.model.TokenLoss.nextToken(List.of(seq)), false).sequenceLogProbs()[0];
        var model = lora.model();
        float[] logits = model.forward(List.of(new dev.t2.model.SequenceChunk(model.newCache(), seq)), dev.t2.model.LlamaModel.Logits.ALL);
        double merged = 0;
        for (int i = 0; i + 1 < seq.length; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int v = 0; v < C.vocabSize(); v++) max = Math.max(max, logits[i * C.vocabSize() + v]);
            for (int v = 0; v < C.vocabSize(); v++) sum += Math.exp(logits[i * C.vocabSize() + v] - max);
            merged += logits[i * C.vocabSize() + seq[i + 1]] - max - Math.log(sum);
        }
        assertThat(merged).isCloseTo(graph, org.assertj.core.data.Offset.offset(1e-3));
    }
}
