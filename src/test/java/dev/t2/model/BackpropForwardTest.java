package dev.t2.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.tensor.DType;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The training graph's forward computes the same log-probabilities as the inference engine. */
class BackpropForwardTest {
    @Test
    void lossAndSequenceLogProbsMatchTheInferenceLogits() {
        ModelConfig c = BackpropGradientTest.tiny("Qwen2ForCausalLM", true, false, 0, false);
        LlamaWeights weights = RandomWeights.create(c, DType.BF16, 5, 0.3);
        LlamaModel model = new LlamaModel(c, weights);
        List<int[]> seqs = List.of(new int[] {1, 4, 8, 15, 16, 23, 2}, new int[] {1, 9, 9});
        double expectedTotal = 0;
        double[] expectedPerSeq = new double[seqs.size()];
        long targets = 0;
        for (int s = 0; s < seqs.size(); s++) {
            int[] seq = seqs.get(s);
            float[] logits = model.forward(List.of(new SequenceChunk(model.newCache(), seq)), LlamaModel.Logits.ALL);
            for (int i = 0; i + 1 < seq.length; i++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int v = 0; v < c.vocabSize(); v++) max = Math.max(max, logits[i * c.vocabSize() + v]);
                for (int v = 0; v < c.vocabSize(); v++) sum += Math.exp(logits[i * c.vocabSize() + v] - max);
                double logp = logits[i * c.vocabSize() + seq[i + 1]] - max - Math.log(sum);
                expectedPerSeq[s] += logp;
                expectedTotal -= logp;
                targets++;
            }
        }
        var result = Backprop.run(TrainableWeights.frozen(c, weights), TokenLoss.nextToken(seqs), false);
        assertThat(result.weightedTargets()).isEqualTo(targets);
        assertThat(result.loss()).isCloseTo(expectedTotal / targets, Offset.offset(1e-4));
        for (int s = 0; s < seqs.size(); s++) assertThat(result.sequenceLogProbs()[s]).isCloseTo(expectedPerSeq[s], Offset.offset(1e-3));
    }
}
