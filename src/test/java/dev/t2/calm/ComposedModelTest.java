package dev.t2.calm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2.model.KvCache;
import dev.t2.model.LlamaModel;
import dev.t2.model.SequenceChunk;
import dev.t2.model.TokenLoss;
import dev.t2.model.TrainableWeights;
import dev.t2.tensor.DType;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Composed decoding: separate caches stepping together, the anchor at start, causal, and the training graph's numbers. */
class ComposedModelTest {
    static final int[] TOKENS = {1, 5, 9, 3, 7, 7, 2, 30, 4};

    @org.junit.jupiter.params.ParameterizedTest(name = "positional cross-attention {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void incrementalDecodingGivesTheLogitsOfOneFullForward(boolean positional) {
        TinyPair pair = TinyPair.create(DType.F32);
        ComposedModel m = new ComposedModel(pair.anchor(), pair.augment(), pair.trainedLooking(3, positional));
        int vocab = m.config().vocabSize();
        float[] full = m.forward(List.of(new SequenceChunk(m.newCache(), TOKENS)), LlamaModel.Logits.ALL);
        // a prefill of 4 tokens, then one token at a time, batched beside another sequence with a different length
        KvCache cache = m.newCache(), other = m.newCache();
        float[] step = m.forward(List.of(new SequenceChunk(cache, Arrays.copyOf(TOKENS, 4)), new SequenceChunk(other, new int[] {1, 8})),
                LlamaModel.Logits.LAST_PER_CHUNK);
        assertClose(Arrays.copyOfRange(step, 0, vocab), Arrays.copyOfRange(full, 3 * vocab, 4 * vocab));
        for (int t = 4; t < TOKENS.length; t++) {
            step = m.forward(List.of(new SequenceChunk(other, new int[] {9}), new SequenceChunk(cache, new int[] {TOKENS[t]})),
                    LlamaModel.Logits.LAST_PER_CHUNK);
            assertClose(Arrays.copyOfRange(step, vocab, 2 * vocab), Arrays.copyOfRange(full, t * vocab, (t + 1) * vocab));
        }
        // truncating rewinds both models and the pairs' keys/values: re-running the tail gives the same logits again
        cache.truncate(6);
        float[] again = m.forward(List.of(new SequenceChunk(cache, Arrays.copyOfRange(TOKENS, 6, 9))), LlamaModel.Logits.ALL);
        assertClose(Arrays.copyOfRange(again, 0, 3 * vocab), Arrays.copyOfRange(full, 6 * vocab, 9 * vocab));
    }

    @Test
    void aCopiedCacheContinuesThePrefixAndLeavesTheOriginalUntouched() {
        TinyPair pair = TinyPair.create(DType.F32);
        ComposedModel composed = new ComposedModel(pair.anchor(), pair.augment(), pair.trainedLooking(3, true));
        for (dev.t2.model.CausalLanguageModel m : List.<dev.t2.model.CausalLanguageModel>of(pair.anchor(), composed)) {
            int vocab = m.config().vocabSize();
            float[] full = m.forward(List.of(new SequenceChunk(m.newCache(), TOKENS)), LlamaModel.Logits.ALL);
            KvCache prefix = m.newCache();
            m.forward(List.of(new SequenceChunk(prefix, Arrays.copyOf(TOKENS, 5))), LlamaModel.Logits.LAST_PER_CHUNK);
            KvCache detour = prefix.copy(), copy = prefix.copy();
            assertThat(copy).isInstanceOf(prefix.getClass());
            assertThat(copy.length()).isEqualTo(5);
            int[] tail = Arrays.copyOfRange(TOKENS, 5, TOKENS.length);
            float[] firstPart = m.forward(List.of(new SequenceChunk(copy, Arrays.copyOf(tail, 2))), LlamaModel.Logits.ALL);
            m.forward(List.of(new SequenceChunk(detour, new int[] {1, 2, 3, 4})), LlamaModel.Logits.ALL); // writes the same positions: must reach neither
            float[] rest = m.forward(List.of(new SequenceChunk(copy, Arrays.copyOfRange(tail, 2, tail.length))), LlamaModel.Logits.ALL);
            float[] fromCopy = Arrays.copyOf(firstPart, tail.length * vocab);
            System.arraycopy(rest, 0, fromCopy, 2 * vocab, rest.length);
            float[] fromOriginal = m.forward(List.of(new SequenceChunk(prefix, tail)), LlamaModel.Logits.ALL);
            assertClose(fromCopy, fromOriginal);
            assertClose(fromCopy, Arrays.copyOfRange(full, 5 * vocab, TOKENS.length * vocab));
        }
    }

    @Test
    void freshCompositionDecodesExactlyAsTheAnchor() {
        TinyPair pair = TinyPair.create(DType.BF16);
        ComposedModel m = new ComposedModel(pair.anchor(), pair.augment(), pair.composition(1));
        float[] composed = m.forward(List.of(new SequenceChunk(m.newCache(), TOKENS)), LlamaModel.Logits.ALL);
        LlamaModel anchor = pair.anchor();
        float[] alone = anchor.forward(List.of(new SequenceChunk(anchor.newCache(), TOKENS)), LlamaModel.Logits.ALL);
        assertThat(composed).containsExactly(alone);
    }

    @Test
    void logitsAtATokenDoNotDependOnLaterTokens() {
        TinyPair pair = TinyPair.create(DType.F32);
        ComposedModel m = new ComposedModel(pair.anchor(), pair.augment(), pair.trainedLooking(3));
        int vocab = m.config().vocabSize();
        int[] changed = TOKENS.clone();
        changed[5] = 20;
        float[] a = m.forward(List.of(new SequenceChunk(m.newCache(), TOKENS)), LlamaModel.Logits.ALL);
        float[] b = m.forward(List.of(new SequenceChunk(m.newCache(), changed)), LlamaModel.Logits.ALL);
        assertThat(Arrays.copyOf(b, 5 * vocab)).containsExactly(Arrays.copyOf(a, 5 * vocab));
        assertThat(Arrays.copyOfRange(b, 5 * vocab, 6 * vocab)).isNotEqualTo(Arrays.copyOfRange(a, 5 * vocab, 6 * vocab));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "positional cross-attention {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void decodingAndTrainingGraphsAgree(boolean positional) {
        TinyPair pair = TinyPair.create(DType.F32);
        Composition c = pair.trainedLooking(3, positional);
        ComposedModel m = new ComposedModel(pair.anchor(), pair.augment(), c);
        int vocab = m.config().vocabSize();
        float[] logits = m.forward(List.of(new SequenceChunk(m.newCache(), TOKENS)), LlamaModel.Logits.ALL);
        double logProb = 0;
        for (int t = 0; t + 1 < TOKENS.length; t++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int v = 0; v < vocab; v++) max = Math.max(max, logits[t * vocab + v]);
            for (int v = 0; v < vocab; v++) sum += Math.exp(logits[t * vocab + v] - max);
            logProb += logits[t * vocab + TOKENS[t + 1]] - max - Math.log(sum);
        }
        float[] ones = new float[TOKENS.length];
        Arrays.fill(ones, 0, TOKENS.length - 1, 1f);
        var result = ComposedBackprop.run(c, TrainableWeights.frozen(pair.anchorConfig(), pair.anchorWeights()), pair.augment(),
                new TokenLoss(List.of(TOKENS), List.of(ones)), false);
        assertThat(result.sequenceLogProbs()[0]).isCloseTo(logProb, Offset.offset(1e-3 * Math.abs(logProb)));
    }

    @Test
    void refusesCachesAndModelsItWasNotMadeFor() {
        TinyPair pair = TinyPair.create(DType.F32);
        ComposedModel m = new ComposedModel(pair.anchor(), pair.augment(), pair.composition(1));
        assertThatThrownBy(() -> m.forward(List.of(new SequenceChunk(pair.anchor().newCache(), TOKENS)), LlamaModel.Logits.ALL))
                .hasMessageContaining("newCache()");
        // the augmenting model as anchor: the pairs' layers exist, but the widths are the other way round
        assertThatThrownBy(() -> new ComposedModel(pair.augment(), pair.anchor(), pair.composition(1)))
                .hasMessageContaining("widths 24 → 16");
    }

    private static void assertClose(float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], Offset.offset(1e-4f));
    }
}
