package dev.t2.calm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** D_C's three choices draw the same chains over the composition keys and differ only in what they answer. */
class CompositionDataTest {
    static final KvRepository REPO = KvRepository.random(200, 0.2, 7);

    private static List<KvItem> draw(CompositionData data) {
        return data.draw(REPO, REPO.compositionKeys(), 400, new Random(1), new Random(2));
    }

    @Test
    void theChoicesShareOperandsAndOperatorsAndAnswerByTheirTask() {
        List<KvItem> arithmetic = draw(CompositionData.ARITHMETIC), substitution = draw(CompositionData.SUBSTITUTION), mixed = draw(CompositionData.MIXED);
        int substituted = 0;
        for (int i = 0; i < arithmetic.size(); i++) {
            KvItem a = arithmetic.get(i), s = substitution.get(i), m = mixed.get(i);
            assertThat(a.task()).isEqualTo(KvTask.KV_ARITHMETIC);
            assertThat(REPO.compositionKeys()).containsAll(a.operands());
            assertThat(s.operands()).isEqualTo(a.operands()).isEqualTo(m.operands());
            assertThat(s.operators()).isEqualTo(a.operators()).isEqualTo(m.operators());
            assertThat(s.task()).isEqualTo(KvTask.SUBSTITUTION);
            assertThat(s.answers()).containsExactly(a.operands().stream().mapToInt(REPO::value).toArray());
            assertThat(m.answers()).isEqualTo(m.task() == KvTask.SUBSTITUTION ? s.answers() : a.answers());
            if (m.task() == KvTask.SUBSTITUTION) substituted++;
        }
        assertThat(substituted).isBetween(160, 240);
    }

    @Test
    void theRandomStreamAfterD_CDoesNotDependOnTheChoice() {
        Random afterArithmetic = new Random(1), afterSubstitution = new Random(1);
        CompositionData.ARITHMETIC.draw(REPO, REPO.compositionKeys(), 50, afterArithmetic, new Random(2));
        CompositionData.SUBSTITUTION.draw(REPO, REPO.compositionKeys(), 50, afterSubstitution, new Random(2));
        assertThat(afterSubstitution.nextLong()).as("the evaluation chains drawn next are the same").isEqualTo(afterArithmetic.nextLong());
    }

    @Test
    void theCliNamesParseAndOthersAreRefused() {
        for (CompositionData d : CompositionData.values()) assertThat(CompositionData.parse(d.option())).isEqualTo(d);
        assertThatThrownBy(() -> CompositionData.parse("kv")).hasMessageContaining("[arithmetic, substitution, mixed], got 'kv'");
    }
}
