package dev.t2.calm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The miniature's data: the key split, chain arithmetic mod 10, and how a chain is tokenised and targeted. */
class KvItemTest {
    static final KvRepository REPO = KvRepository.random(50, 0.2, 3);

    @Test
    void compositionKeysAreAFifthAndDisjointFromTheHeldOutKeys() {
        assertThat(REPO.compositionKeys()).hasSize(10);
        assertThat(REPO.heldOutKeys()).hasSize(40).doesNotContainAnyElementsOf(REPO.compositionKeys());
        assertThat(REPO.allKeys()).allMatch(k -> k.matches("[a-z]{2}"));
        assertThat(KvRepository.random(50, 0.2, 3)).isEqualTo(REPO);
    }

    @Test
    void largerRepositoriesSpellKeysAndNumbersWithThreeCharacters() {
        assertThat(KvRepository.keyLength(676)).isEqualTo(2);
        KvRepository large = KvRepository.random(2000, 0.2, 3);
        assertThat(large.operandLength()).isEqualTo(3);
        assertThat(large.allKeys()).hasSize(2000).allMatch(k -> k.matches("[a-z]{3}"));
        assertThat(large.compositionKeys()).hasSize(400);
        Random rnd = new Random(4);
        for (int i = 0; i < 50; i++) {
            KvItem numeric = KvItem.random(KvTask.NUMERIC, large, large.allKeys(), rnd);
            assertThat(numeric.operands()).allMatch(n -> n.matches("[0-9]{3}"));
            assertThat(numeric.answers()[0]).isEqualTo(Integer.parseInt(numeric.operands().getFirst()) % 10); // the last digit counts
            KvItem kv = KvItem.random(KvTask.KV_ARITHMETIC, large, large.heldOutKeys(), rnd);
            int[] at = kv.answeringPositions(), tokens = kv.sequence().tokens();
            for (int k = 0; k < at.length; k++) { // the answer follows the key's third letter
                String key = kv.operands().get(k);
                assertThat(KvVocabulary.text(java.util.Arrays.copyOfRange(tokens, at[k] - 2, at[k] + 2)))
                        .isEqualTo(key + kv.answers()[k]);
            }
            assertThat(tokens.length).isLessThanOrEqualTo(64);
        }
        assertThatThrownBy(() -> KvRepository.random(KvRepository.MAX_KEYS + 1, 0.2, 3)).hasMessageContaining("between 2 and 17576 keys");
    }

    @Test
    void answersAreValuesOrRunningResultsModTen() {
        KvItem item = new KvItem(KvTask.NUMERIC, List.of("37", "04", "92", "15"),
                new int[] {-1, KvVocabulary.PLUS, KvVocabulary.TIMES, KvVocabulary.MINUS}, new int[] {7, 1, 2, 7});
        assertThat(item.toString()).isEqualTo("A 37→7 +04→1 *92→2 -15→7");
        var seq = item.sequence();
        assertThat(KvVocabulary.text(seq.tokens())).isEqualTo("^A377+041*922-157");
        assertThat(seq.targets()).containsExactly(false, false, false, false, true, false, false, false, true, false, false, false, true,
                false, false, false, true);
        assertThat(item.answeringPositions()).containsExactly(3, 7, 11, 15);
        KvItem substitution = new KvItem(KvTask.SUBSTITUTION, List.of("ab", "cd"), new int[] {-1, KvVocabulary.PLUS}, new int[] {3, 7});
        assertThat(KvVocabulary.text(substitution.sequence().tokens())).isEqualTo("^Sab3+cd7");
        var marked = substitution.sequence(KvTask.KV_ARITHMETIC); // m_A's chains under the other marker: the same answers
        assertThat(KvVocabulary.text(marked.tokens())).isEqualTo("^Aab3+cd7");
        assertThat(marked.targets()).containsExactly(substitution.sequence().targets());
        Random rnd = new Random(1);
        for (int i = 0; i < 200; i++) {
            for (KvTask task : KvTask.values()) {
                KvItem r = KvItem.random(task, REPO, REPO.heldOutKeys(), rnd);
                assertThat(r.operands().size()).isBetween(KvItem.MIN_OPERANDS, KvItem.MAX_OPERANDS);
                int result = 0;
                for (int k = 0; k < r.operands().size(); k++) {
                    String op = r.operands().get(k);
                    int v = task == KvTask.NUMERIC ? Integer.parseInt(op) % 10 : REPO.value(op);
                    if (task != KvTask.NUMERIC) assertThat(REPO.heldOutKeys()).contains(op);
                    result = k == 0 ? v : switch (r.operators()[k]) {
                        case KvVocabulary.PLUS -> (result + v) % 10;
                        case KvVocabulary.MINUS -> ((result - v) % 10 + 10) % 10;
                        default -> result * v % 10;
                    };
                    assertThat(r.answers()[k]).isEqualTo(task == KvTask.SUBSTITUTION ? v : result);
                }
            }
        }
    }

    @Test
    void aChainReadAsAnotherTaskKeepsItsOperandsAndAnswersByThatTask() {
        KvItem numeric = new KvItem(KvTask.NUMERIC, List.of("37", "04", "92"), new int[] {-1, KvVocabulary.PLUS, KvVocabulary.TIMES}, new int[] {7, 1, 2});
        KvItem rewritten = numeric.as(KvTask.SUBSTITUTION, REPO); // what the anchor learns besides solving: each number's value
        assertThat(rewritten.toString()).isEqualTo("S 37→7 +04→4 *92→2");
        assertThat(rewritten.as(KvTask.NUMERIC, REPO)).usingRecursiveComparison().isEqualTo(numeric);
        String a = REPO.heldOutKeys().get(0), b = REPO.heldOutKeys().get(1);
        KvItem keys = new KvItem(KvTask.SUBSTITUTION, List.of(a, b), new int[] {-1, KvVocabulary.MINUS}, new int[] {REPO.value(a), REPO.value(b)});
        assertThat(keys.as(KvTask.KV_ARITHMETIC, REPO).answers()).containsExactly(REPO.value(a), Math.floorMod(REPO.value(a) - REPO.value(b), 10));
    }

    @Test
    void numeralsReplaceAShareOfTheOperandsAndAnswerWithTheirLastDigit() {
        Random rnd = new Random(6);
        int numbers = 0, operands = 0;
        for (int i = 0; i < 400; i++) {
            KvItem keys = KvItem.random(KvTask.SUBSTITUTION, REPO, REPO.allKeys(), rnd);
            KvItem mixed = keys.withNumerals(0.25, REPO, rnd);
            assertThat(mixed.operators()).isEqualTo(keys.operators());
            for (int k = 0; k < mixed.operands().size(); k++, operands++) {
                String op = mixed.operands().get(k);
                if (op.matches("[0-9]{2}")) {
                    numbers++;
                    assertThat(mixed.answers()[k]).isEqualTo(op.charAt(1) - '0');
                } else {
                    assertThat(op).isEqualTo(keys.operands().get(k));
                    assertThat(mixed.answers()[k]).isEqualTo(REPO.value(op));
                }
            }
        }
        assertThat(numbers / (double) operands).isBetween(0.22, 0.28);
        KvItem all = KvItem.random(KvTask.KV_ARITHMETIC, REPO, REPO.allKeys(), rnd).withNumerals(1, REPO, rnd);
        assertThat(all.operands()).allMatch(op -> op.matches("[0-9]{2}"));
        assertThat(all.as(KvTask.NUMERIC, REPO).answers()).as("running results of the numbers' last digits").containsExactly(all.answers());
        assertThatThrownBy(() -> all.withNumerals(1.5, REPO, rnd)).hasMessageContaining("share of numerals must be in [0, 1]");
    }

    @Test
    void everyOperatorAndLengthOccurs() {
        Random rnd = new Random(2);
        var ops = new HashSet<Integer>();
        var lengths = new HashSet<Integer>();
        for (int i = 0; i < 300; i++) {
            KvItem r = KvItem.random(KvTask.KV_ARITHMETIC, REPO, REPO.compositionKeys(), rnd);
            for (int k = 1; k < r.operators().length; k++) ops.add(r.operators()[k]);
            lengths.add(r.operands().size());
        }
        assertThat(ops).containsExactlyInAnyOrder(KvVocabulary.PLUS, KvVocabulary.MINUS, KvVocabulary.TIMES);
        assertThat(lengths).containsExactlyInAnyOrder(3, 4, 5, 6);
    }

    @Test
    void targetsWeighThePositionBeforeTheirToken() {
        var seq = new TargetedTraining.Sequence(new int[] {0, 5, 6, 7}, new boolean[] {false, false, true, true});
        var loss = TargetedTraining.meanOverTargets(List.of(seq, TargetedTraining.Sequence.promptAndAnswer(new int[] {0, 1}, new int[] {2})));
        assertThat(loss.weights().get(0)).containsExactly(0f, 1f / 3, 1f / 3, 0f);
        assertThat(loss.weights().get(1)).containsExactly(0f, 1f / 3, 0f);
    }
}
