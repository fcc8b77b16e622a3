package dev.t2.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** PythonRandom matches CPython 3.11's random module, outputs recorded from python3. */
class PythonRandomTest {

    private static List<Integer> shuffledRange(long seed, int n) {
        List<Integer> l = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        new PythonRandom(seed).shuffle(l);
        return l;
    }

    @Test
    void seed16ShuffleOf300IsPythons() {
        // python3 -c 'import random; random.seed(16); l=list(range(300)); random.shuffle(l); print(l[:20], l[-10:])'
        List<Integer> l = shuffledRange(16, 300);
        assertThat(l.subList(0, 20)).containsExactly(107, 76, 291, 238, 93, 19, 260, 275, 245, 201, 227, 43, 279, 173, 248, 35,
                140, 48, 133, 262);
        assertThat(l.subList(290, 300)).containsExactly(132, 209, 2, 228, 116, 213, 145, 246, 240, 185);
        long weighted = 0;
        for (int i = 0; i < l.size(); i++) weighted += (long) i * l.get(i);
        assertThat(weighted).isEqualTo(6707519L); // sum(i*v for i,v in enumerate(l)): the whole permutation
    }

    @Test
    void rawOutputsAndOtherSeedsArePythons() {
        PythonRandom r = new PythonRandom(16);
        assertThat(List.of(r.getrandbits(32), r.getrandbits(32), r.getrandbits(32)))
                .containsExactly(1552728491L, 2015295599L, 2063648756L);
        assertThat(shuffledRange(42, 10)).containsExactly(7, 3, 2, 8, 5, 6, 9, 4, 0, 1);
        assertThat(shuffledRange(-7, 10)).containsExactly(8, 3, 1, 4, 7, 0, 9, 6, 2, 5); // abs(seed), as CPython
        assertThat(shuffledRange((1L << 40) + 5, 50).subList(0, 10)).containsExactly(11, 0, 20, 6, 44, 19, 23, 18, 47, 16);
    }
}
