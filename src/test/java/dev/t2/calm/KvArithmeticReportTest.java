package dev.t2.calm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KvArithmeticReportTest {
    /** A reader with the given held-out accuracies (KV-substitution, numeric, KV-arithmetic) and KV-arithmetic figures. */
    static KvArithmeticExperiment.Row row(String reader, double sub, double numeric, double kv, double seen, double first, double each) {
        Map<KvTask, Double> acc = new EnumMap<>(KvTask.class);
        acc.put(KvTask.SUBSTITUTION, sub);
        acc.put(KvTask.NUMERIC, numeric);
        acc.put(KvTask.KV_ARITHMETIC, kv);
        return new KvArithmeticExperiment.Row(reader, 0, acc, seen, first, each);
    }

    static KvArithmeticExperiment.Outcome outcome(KvArithmeticExperiment.Row calm, KvArithmeticExperiment.Row variant) {
        return outcome(calm, variant, row("CALM [3:0], positional", 0, 0.99, 0.56, 0.78, 0.985, 0.879));
    }

    static KvArithmeticExperiment.Outcome outcome(KvArithmeticExperiment.Row calm, KvArithmeticExperiment.Row variant, KvArithmeticExperiment.Row positional) {
        var config = new KvArithmeticExperiment.Config(20, 0.2, CompositionData.ARITHMETIC, 0.25, 16, 2, 2, 3, 2, 8, 40, 20, 200, 3e-3f, 3e-3f, 0f, 1, 1);
        var pairs = CompositionConfig.uniform(2, 2, 1, 2);
        List<KvArithmeticExperiment.Row> rows = List.of(row("m_A", 1, 0, 0.005, 0.01, 1, 0.36), row("m_B", 0, 1, 0, 0, 0.085, 0.14), calm, variant,
                row("ablation: random m_A, CALM variant", 0, 0, 0, 0.02, 0.105, 0.14), row("ablation: LoRA on m_B (rank 10)", 0, 0, 0.005, 0.685, 0.10, 0.14),
                positional);
        Map<String, Double> loss = new LinkedHashMap<>(Map.of("CALM", 1.7));
        return new KvArithmeticExperiment.Outcome(config, KvRepository.random(20, 0.2, 1), pairs, pairs, 0, 0, 1, Map.of(), rows, loss, Map.of(), List.of());
    }

    @Test
    void aCompositionThatReadsAndCombinesIsToldApartFromOneThatOnlyReads() {
        String findings = KvArithmeticReport.findings(outcome(row("CALM (m_A ⊕ m_B)", 0, 0.02, 0.01, 0.01, 0.655, 0.288),
                row("CALM variant [3:-1], positional", 0, 0.4, 0.91, 1.0, 0.98, 0.978)));
        assertThat(findings).contains("CALM fails at it (whole chains 1.0 %, each answer given the right running result 28.8 %)",
                "the variant does it too (whole chains 91.0 %, each answer given the right running result 97.8 %)",
                "CALM variant [3:-1], positional: KV-arithmetic 91.0 % on keys it never saw in D_C", "the paper's key result;",
                "comes from m_A, not from fitting D_C", "numeric arithmetic 40.0 % (m_B 100.0 %) — m_B's own skill is **not** kept",
                "KV-Substitution by the composed models stays low (the paper's CALM: 92.9 %): D_C holds no substitution chain",
                "- CALM [3:0], positional (the paper's pairs, the variant's cross-attention): KV-arithmetic 56.0 % of held-out chains whole"
                        + " (first answer 98.5 %; CALM 1.0 %, the variant 91.0 %), numeric arithmetic 99.0 % — positions in the cross-attention carry");

        String neither = KvArithmeticReport.findings(outcome(row("CALM (m_A ⊕ m_B)", 0, 0.02, 0.01, 0.01, 0.655, 0.288),
                row("CALM variant [3:-1], positional", 0, 0.55, 0.46, 0.99, 0.855, 0.838)));
        assertThat(neither).contains("the variant fails at it (whole chains 46.0 %", "reached only **partly**");
    }

    @Test
    void theSeedsTableGivesEverySeedsReadersAndTheVariantsMean() {
        var calm = row("CALM (m_A ⊕ m_B)", 0.05, 0.995, 0.025, 0.035, 0.70, 0.376);
        String table = KvArithmeticReport.seedsTable(List.of(outcome(calm, row("CALM variant [3:-1], positional", 0.87, 1, 0.875, 1.0, 0.975, 0.969)),
                outcome(calm, row("CALM variant [3:-1], positional", 0.94, 0.98, 0.87, 0.995, 0.985, 0.971))));
        assertThat(table).contains("| seed | CALM | CALM variant | variant, numeric arithmetic | variant, KV-substitution | random m_A | LoRA on m_B | CALM, positional |",
                "| 1 | 2.5 / 70.0 / 37.6 | 87.5 / 97.5 / 96.9 | 100.0 | 87.0 | 0.0 / 10.5 / 14.0 | 0.5 / 10.0 / 14.0 | 56.0 / 98.5 / 87.9 |",
                "| 1 | 2.5 / 70.0 / 37.6 | 87.0 / 98.5 / 97.1 | 98.0 | 94.0 |",
                "The variant's whole chains: mean 87.3 %, range 87.0–87.5 % over 2 seeds (paper: 84.3 %).");
    }

    @Test
    void numericSkillIsKeptPartlyOrNot() {
        assertThat(KvArithmeticReport.keeps(0.95, 1.0)).isEqualTo("m_B's own skill is kept");
        assertThat(KvArithmeticReport.keeps(0.745, 1.0)).isEqualTo("m_B's own skill is kept only **partly**");
        assertThat(KvArithmeticReport.keeps(0.40, 1.0)).isEqualTo("m_B's own skill is **not** kept");
        assertThat(KvArithmeticReport.keeps(0.72, 0.737)).as("the paper's CALM").isEqualTo("m_B's own skill is kept");
    }

    @Test
    void onlyACompositionRightOnMostOfD_CsOwnChainsLearntThemByHeart() {
        String few = KvArithmeticReport.findings(outcome(row("CALM (m_A ⊕ m_B)", 0, 0.955, 0.025, 0.085, 0.655, 0.379),
                row("CALM variant [3:-1], positional", 0, 1, 0.86, 1.0, 0.975, 0.965)));
        assertThat(few).contains("(8.5 % on D_C's own keys; the first key's value read right in 65.5 % of held-out chains, chance 10 %) — the paper's key"
                + " result is **not** reached; numeric arithmetic 95.5 %");
        String most = KvArithmeticReport.findings(outcome(row("CALM (m_A ⊕ m_B)", 0, 0.955, 0.01, 0.9, 0.2, 0.3),
                row("CALM variant [3:-1], positional", 0, 1, 0.86, 1.0, 0.975, 0.965)));
        assertThat(most).contains("the paper's key result is **not** reached: the composition learnt D_C's keys by heart");
    }

    @Test
    void theReasonForThePaperConnectionQuotesThePositionalReaderAndTheVariant() {
        String why = KvArithmeticReport.findings(outcome(row("CALM (m_A ⊕ m_B)", 0, 0.955, 0.025, 0.085, 0.655, 0.379),
                row("CALM variant [3:-1], positional", 0, 1, 0.86, 1.0, 0.975, 0.965)));
        assertThat(why).contains("Why the paper's own connection does worse", "the same pairs read 56.0 % of held-out chains whole",
                "before m_B's first layer, reads 86.0 %");
        String reached = KvArithmeticReport.findings(outcome(row("CALM (m_A ⊕ m_B)", 0, 0.955, 0.84, 0.9, 0.97, 0.95),
                row("CALM variant [3:-1], positional", 0, 1, 0.86, 1.0, 0.975, 0.965)));
        assertThat(reached).as("no reason is given where the paper's connection works").doesNotContain("Why the paper's own connection");
    }

    @Test
    void positionsAloneAreCreditedOnlyWhenTheyLiftThePaperConnection() {
        var calm = row("CALM (m_A ⊕ m_B)", 0, 0.955, 0.025, 0.085, 0.655, 0.379);
        var variant = row("CALM variant [3:-1], positional", 0, 1, 0.86, 1.0, 0.975, 0.965);
        assertThat(KvArithmeticReport.findings(outcome(calm, variant, row("CALM [3:0], positional", 0, 0.99, 0.03, 0.1, 0.7, 0.4))))
                .contains("KV-arithmetic 3.0 % of held-out chains whole", "positions alone do not lift the paper's connection")
                .doesNotContain("positions in the cross-attention carry", "Why the paper's own connection");
    }
}
