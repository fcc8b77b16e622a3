package dev.t2.calm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.model.TrainableWeights;
import dev.t2.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** m_A's states kept per sequence: the same bits as computing them afresh, whatever the batch, the repeats and the budget. */
class AugmentStateCacheTest {
    static final TinyPair PAIR = TinyPair.create(DType.F32);
    static final int[] LAYERS = {0, 2};

    static List<int[]> sequences(int n, long seed) {
        Random rnd = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] s = new int[3 + rnd.nextInt(6)];
            for (int j = 0; j < s.length; j++) s[j] = 2 + rnd.nextInt(28);
            out.add(s);
        }
        return out;
    }

    static void assertSameStates(Map<Integer, float[]> actual, List<int[]> sequences) {
        Map<Integer, float[]> fresh = AugmentStates.of(PAIR.augment(), sequences, LAYERS);
        assertThat(actual).containsOnlyKeys(0, 2);
        for (int layer : LAYERS) assertThat(actual.get(layer)).as("layer " + layer).containsExactly(fresh.get(layer));
    }

    @Test
    void keptStatesAreTheFreshOnesBitForBit() {
        List<int[]> all = sequences(12, 1);
        for (long budget : new long[] {Long.MAX_VALUE, 24L * 2 * 10, 0}) { // everything kept, a few kept, nothing kept
            var cache = new AugmentStateCache(PAIR.augment(), LAYERS, budget);
            List<int[]> first = all.subList(0, 7), second = new ArrayList<>(all.subList(4, 12));
            second.add(all.get(5).clone()); // a repeat, as a new array with the same tokens
            second.add(0, all.get(9));
            assertSameStates(cache.of(first), first);
            assertSameStates(cache.of(second), second);
            assertSameStates(cache.of(first), first);
        }
    }

    @Test
    void compositionTrainingGivesTheSameCheckpointAsWithoutTheCache(@TempDir Path tmp) throws Exception {
        var anchor = TrainableWeights.frozen(PAIR.anchorConfig(), PAIR.anchorWeights());
        var data = CompositionTrainerTest.data();
        Composition cached = PAIR.trainedLooking(4), fresh = PAIR.trainedLooking(4);
        CompositionTrainer.train(cached, anchor, PAIR.augment(), data, CompositionTrainerTest.CONFIG, tmp.resolve("cached"));
        TargetedTraining.train("fresh", fresh.parameters(), loss -> ComposedBackprop.runInMicroBatches(fresh, anchor, PAIR.augment(), loss,
                CompositionTrainer.MICRO_BATCH_TOKENS), data, CompositionTrainerTest.CONFIG, tmp.resolve("fresh"));
        assertThat(Files.mismatch(tmp.resolve("cached/checkpoint.safetensors"), tmp.resolve("fresh/checkpoint.safetensors"))).isEqualTo(-1L);
    }
}
