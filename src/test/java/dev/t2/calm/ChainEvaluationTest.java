package dev.t2.calm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.model.CausalLanguageModel;
import dev.t2.model.KvCache;
import dev.t2.model.LlamaModel;
import dev.t2.model.ModelConfig;
import dev.t2.model.RopeScaling;
import dev.t2.model.SequenceChunk;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Chain evaluation against scripted readers whose accuracy is known in advance. */
class ChainEvaluationTest {
    static final KvRepository REPO = KvRepository.random(30, 0.2, 5);

    /** Reads the chain it is fed and answers correctly from the answers it was fed back, except where {@code fails} says. */
    record ScriptedReader(Predicate<List<Integer>> fails, Map<KvCache, List<Integer>> history) implements CausalLanguageModel {
        ScriptedReader(Predicate<List<Integer>> fails) {
            this(fails, new IdentityHashMap<>());
        }

        @Override
        public ModelConfig config() {
            return new ModelConfig("LlamaForCausalLM", 8, 8, 1, 1, 1, 8, KvVocabulary.SIZE, 64, 1e-5f, 10000, RopeScaling.NONE, false, false,
                    false, 0, 0, List.of());
        }

        @Override
        public KvCache newCache() {
            return new KvCache(1, 1, 1);
        }

        @Override
        public float[] forward(List<SequenceChunk> chunks, LlamaModel.Logits which) {
            float[] logits = new float[chunks.size() * KvVocabulary.SIZE];
            for (int c = 0; c < chunks.size(); c++) {
                List<Integer> h = history.computeIfAbsent(chunks.get(c).cache(), k -> new ArrayList<>());
                for (int t : chunks.get(c).tokens()) h.add(t);
                int answer = fails.test(h) ? 9 - next(h) : next(h);
                logits[c * KvVocabulary.SIZE + KvVocabulary.digit(answer)] = 1;
            }
            return logits;
        }

        /** The running result of the numeric chain read so far: [BOS, A] d d (answer) then op d d (answer) …, ending with an operand. */
        private static int next(List<Integer> h) {
            int result = 0;
            for (int i = 2, k = 0; i < h.size(); k++) {
                int op = k == 0 ? -1 : h.get(i++);
                int operand = KvVocabulary.digitOf(h.get(i + 1)); // the units digit
                i += 2;
                result = op < 0 ? operand : KvItem.apply(op, result, operand);
                if (i < h.size()) result = KvVocabulary.digitOf(h.get(i++)); // the answer fed back
            }
            return result;
        }
    }

    @Test
    void aReaderIsRightOnExactlyTheChainsItGetsRightAtEveryStep() {
        Random rnd = new Random(1);
        List<KvItem> items = new ArrayList<>();
        for (int i = 0; i < 57; i++) items.add(KvItem.random(KvTask.NUMERIC, REPO, List.of(), rnd));
        assertThat(ChainEvaluation.run(new ScriptedReader(h -> false), items, 10).accuracy()).isEqualTo(1.0);
        // wrong whenever the step's operator is ×: exactly the chains without × are right
        long withoutTimes = items.stream().filter(it -> java.util.Arrays.stream(it.operators()).noneMatch(o -> o == KvVocabulary.TIMES)).count();
        var result = ChainEvaluation.run(new ScriptedReader(h -> h.get(h.size() - 3) == KvVocabulary.TIMES), items, 8);
        assertThat(result.correct()).isEqualTo((int) withoutTimes).isLessThan(57).isPositive();
        assertThat(result.firstCorrect()).isEqualTo(57); // the first answer has no operator before it
        // wrong only on the first answer (the history holds BOS, the task marker and one operand's two tokens): no chain is right
        var firstWrong = ChainEvaluation.run(new ScriptedReader(h -> h.size() == 4), items, 8);
        assertThat(firstWrong.firstCorrect()).isZero();
        assertThat(firstWrong.correct()).isZero();
        assertThat(firstWrong.firstAnswerAccuracy()).isZero();
        // fed its own wrong first answer, the reader carries the error on; fed the reference, only the first answer is wrong
        int answers = items.stream().mapToInt(it -> it.answers().length).sum();
        var forced = ChainEvaluation.teacherForced(new ScriptedReader(h -> h.size() == 4), items, 8);
        assertThat(forced.answers()).isEqualTo(answers);
        assertThat(forced.answersCorrect()).isEqualTo(answers - 57);
        assertThat(firstWrong.answersCorrect()).isLessThan(forced.answersCorrect());
    }
}
