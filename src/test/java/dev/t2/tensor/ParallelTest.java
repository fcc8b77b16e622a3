package dev.t2.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    /** Chunks seen by one call, sorted by start. */
    private static List<int[]> chunksOf(boolean tapered, int n, int minChunk) {
        List<int[]> chunks = Collections.synchronizedList(new ArrayList<>());
        Parallel.RangeBody body = (from, to) -> chunks.add(new int[] {from, to});
        if (tapered) Parallel.forTaperedChunks(n, minChunk, body);
        else Parallel.forChunks(n, minChunk, body);
        List<int[]> sorted = new ArrayList<>(chunks);
        sorted.sort(Comparator.comparingInt(c -> c[0]));
        return sorted;
    }

    @Test
    void everyIndexIsCoveredExactlyOnce() {
        for (boolean tapered : new boolean[] {false, true}) {
            for (int n : new int[] {1, 2, 7, 64, 1000, 2374}) {
                for (int minChunk : new int[] {1, 4, 64}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    Parallel.RangeBody body = (from, to) -> {
                        for (int i = from; i < to; i++) hits.incrementAndGet(i);
                    };
                    if (tapered) Parallel.forTaperedChunks(n, minChunk, body);
                    else Parallel.forChunks(n, minChunk, body);
                    for (int i = 0; i < n; i++) assertThat(hits.get(i)).as("n %d min %d index %d", n, minChunk, i).isEqualTo(1);
                }
            }
        }
    }

    /** Tapered chunks shrink, never below minChunk but for the last, and depend on n alone. */
    @Test
    void taperedChunksShrinkTowardsTheEnd() {
        List<int[]> chunks = chunksOf(true, 2374, 1);
        assertThat(chunks.size()).isGreaterThan(Parallel.threads() > 1 ? 8 : 0);
        if (Parallel.threads() == 1) return; // one core: the caller runs everything as one range
        for (int c = 1; c < chunks.size(); c++) {
            int previous = chunks.get(c - 1)[1] - chunks.get(c - 1)[0], size = chunks.get(c)[1] - chunks.get(c)[0];
            assertThat(size).as("chunk %d", c).isLessThanOrEqualTo(previous).isPositive();
        }
        assertThat(chunks.get(chunks.size() - 1)[1] - chunks.get(chunks.size() - 1)[0]).isEqualTo(1);
        List<int[]> again = chunksOf(true, 2374, 1);
        assertThat(again).usingElementComparator(Comparator.comparingInt((int[] c) -> c[0]).thenComparingInt(c -> c[1]))
                .containsExactlyElementsOf(chunks);
        for (int[] c : chunksOf(true, 1000, 64).subList(0, chunksOf(true, 1000, 64).size() - 1)) {
            assertThat(c[1] - c[0]).isGreaterThanOrEqualTo(64);
        }
    }

    @Test
    void aFailingChunkFailsTheCall() {
        assertThatThrownBy(() -> Parallel.forTaperedChunks(100, 1, (from, to) -> {
            if (from == 0) throw new IllegalStateException("chunk at 0");
        })).hasMessage("chunk at 0");
    }
}
