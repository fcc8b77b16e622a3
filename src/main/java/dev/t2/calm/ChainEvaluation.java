package dev.t2.calm;

import dev.t2.model.CausalLanguageModel;
import dev.t2.model.KvCache;
import dev.t2.model.LlamaModel;
import dev.t2.model.SequenceChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy accuracy on key-value chains, as generation: the reader is fed each step and answers with its most likely
 * token, and its own answer (not the reference) is fed back before the next step. An item counts as correct when
 * every answer of its chain is right. {@link #teacherForced} feeds back the reference answers instead, so each answer
 * is scored given the right running result (reading and combining one operand, without earlier errors compounding).
 */
public final class ChainEvaluation {
    /**
     * @param firstCorrect items whose first answer is right: the first operand's value alone, before any arithmetic
     *                     (for a key, reading its value)
     */
    public record Result(int items, int correct, int firstCorrect, int answers, int answersCorrect) {
        public double accuracy() {
            return items == 0 ? Double.NaN : correct / (double) items;
        }

        public double firstAnswerAccuracy() {
            return items == 0 ? Double.NaN : firstCorrect / (double) items;
        }

        /** Share of all answers (every step of every chain) that are right. */
        public double answerAccuracy() {
            return answers == 0 ? Double.NaN : answersCorrect / (double) answers;
        }
    }

    private ChainEvaluation() {}

    public static Result run(CausalLanguageModel model, List<KvItem> items, int batchSize) {
        return run(model, items, batchSize, false);
    }

    /** As {@link #run}, but the reference answer (not the reader's) is fed back before each next step. */
    public static Result teacherForced(CausalLanguageModel model, List<KvItem> items, int batchSize) {
        return run(model, items, batchSize, true);
    }

    private static Result run(CausalLanguageModel model, List<KvItem> items, int batchSize, boolean feedReference) {
        int correct = 0, firstCorrect = 0, answers = 0, answersCorrect = 0;
        for (int from = 0; from < items.size(); from += batchSize) {
            List<KvItem> batch = items.subList(from, Math.min(items.size(), from + batchSize));
            List<int[]> given = answer(model, batch, feedReference);
            for (int i = 0; i < batch.size(); i++) {
                int[] expected = batch.get(i).answers();
                int right = 0;
                for (int k = 0; k < expected.length; k++) if (KvVocabulary.digitOf(given.get(i)[k]) == expected[k]) right++;
                if (right == expected.length) correct++;
                if (KvVocabulary.digitOf(given.get(i)[0]) == expected[0]) firstCorrect++;
                answers += expected.length;
                answersCorrect += right;
            }
        }
        return new Result(items.size(), correct, firstCorrect, answers, answersCorrect);
    }

    /** Each item's answers (tokens) as the reader gave them. */
    private static List<int[]> answer(CausalLanguageModel model, List<KvItem> batch, boolean feedReference) {
        int vocab = model.config().vocabSize();
        List<KvCache> caches = new ArrayList<>();
        List<List<int[]>> steps = new ArrayList<>();
        int[][] given = new int[batch.size()][];
        int longest = 0;
        for (int i = 0; i < batch.size(); i++) {
            caches.add(model.newCache());
            steps.add(batch.get(i).steps());
            given[i] = new int[batch.get(i).answers().length];
            longest = Math.max(longest, given[i].length);
        }
        for (int k = 0; k < longest; k++) {
            List<SequenceChunk> chunks = new ArrayList<>();
            List<Integer> who = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (k >= given[i].length) continue;
                int[] step = steps.get(i).get(k);
                int[] tokens = step;
                if (k > 0) { // the previous answer, as the reader gave it (or the reference's)
                    tokens = new int[step.length + 1];
                    tokens[0] = feedReference ? KvVocabulary.digit(batch.get(i).answers()[k - 1]) : given[i][k - 1];
                    System.arraycopy(step, 0, tokens, 1, step.length);
                }
                chunks.add(new SequenceChunk(caches.get(i), tokens));
                who.add(i);
            }
            float[] logits = model.forward(chunks, LlamaModel.Logits.LAST_PER_CHUNK);
            for (int c = 0; c < who.size(); c++) {
                int best = 0;
                for (int v = 1; v < vocab; v++) if (logits[c * vocab + v] > logits[c * vocab + best]) best = v;
                given[who.get(c)][k] = best;
            }
        }
        return List.of(given);
    }
}
