package dev.t2.calm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole miniature at toy size: every reader evaluated on every task, matched parameter counts, the report section. */
class KvArithmeticExperimentTest {
    @Test
    void runsEndToEndAndReportsEveryReaderOnEveryTask(@TempDir Path tmp) throws Exception {
        var config = new KvArithmeticExperiment.Config(20, 0.2, CompositionData.ARITHMETIC, 0.25, 16, 2, 2, 3, 2, 8, 40, 20, 10, 3e-3f, 3e-3f, 0f, 1, 1);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        var outcome = new KvArithmeticExperiment(config, new PrintStream(log, true, StandardCharsets.UTF_8)).run(tmp);
        assertThat(outcome.repository().compositionKeys()).hasSize(4);
        assertThat(outcome.pairs().pairs()).containsExactly(new LayerPair(1, 0));
        assertThat(outcome.compositionParameters()).isEqualTo(Composition.formulaCount(1, 16, 16)).isEqualTo(1280);
        assertThat(outcome.loraParameters()).isEqualTo(1280); // rank 5 on q, k, v, o of 2 layers of width 16
        assertThat(outcome.probe()).containsOnlyKeys(0, 1);
        assertThat(outcome.rows()).extracting(KvArithmeticExperiment.Row::reader).containsExactly("m_A", "m_B", "CALM (m_A ⊕ m_B)",
                "CALM variant [1:-1], positional", "ablation: random m_A, CALM variant", "ablation: LoRA on m_B (rank 5)", "CALM [1:0], positional");
        for (var row : outcome.rows()) assertThat(row.accuracy()).containsOnlyKeys(KvTask.values()).allSatisfy((t, a) -> assertThat(a).isBetween(0.0, 1.0));
        String md = KvArithmeticReport.markdown(outcome, "t2 compose kv-arithmetic");
        assertThat(md).contains("| KV-Substitution |").contains("| Numeric-Arithmetic |").contains("| KV-Arithmetic |")
                .contains("(98.1)").contains("(84.3)").contains("| ablation: LoRA on m_B (rank 5) | 1,280 |");
        assertThat(outcome.trainingLoss()).containsOnlyKeys("CALM", "CALM variant", "random m_A", "LoRA", "CALM positional");
        assertThat(tmp.resolve("calm/checkpoint.safetensors")).exists();
        assertThat(tmp.resolve("calm-variant/checkpoint.safetensors")).exists();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("linear probe of m_A layer 1");
    }

    @Test
    void theBaseModelsReadNumeralsUnderBothMarkers() {
        KvRepository repo = KvRepository.random(100, 0.2, 4);
        java.util.Random rnd = new java.util.Random(5);
        var substitution = java.util.stream.Stream.generate(() -> KvItem.random(KvTask.SUBSTITUTION, repo, repo.allKeys(), rnd)).limit(400).toList();
        var numeric = java.util.stream.Stream.generate(() -> KvItem.random(KvTask.NUMERIC, repo, repo.allKeys(), rnd)).limit(400).toList();
        int markedA = 0, numbers = 0, operands = 0;
        for (var seq : KvArithmeticExperiment.augmentTrainingData(substitution, repo, 1)) {
            String text = KvVocabulary.text(seq.tokens());
            if (text.charAt(1) == 'A') markedA++;
            // each operand, then its value: a number's last digit, a key's value, whatever the marker
            var m = java.util.regex.Pattern.compile("([a-z]{2}|[0-9]{2})([0-9])").matcher(text.substring(2));
            while (m.find()) {
                operands++;
                boolean number = Character.isDigit(m.group(1).charAt(0));
                if (number) numbers++;
                assertThat(m.group(2).charAt(0) - '0').isEqualTo(number ? m.group(1).charAt(1) - '0' : repo.value(m.group(1)));
            }
        }
        assertThat(markedA).isBetween(160, 240);
        assertThat(numbers / (double) operands).isBetween(0.2, 0.3);
        var anchorData = KvArithmeticExperiment.anchorTrainingData(numeric, repo, 1);
        int markedS = 0;
        for (int i = 0; i < numeric.size(); i++) {
            String text = KvVocabulary.text(anchorData.get(i).tokens());
            boolean rewrites = text.charAt(1) == 'S';
            if (rewrites) markedS++;
            assertThat(anchorData.get(i).tokens()).containsExactly((rewrites ? numeric.get(i).as(KvTask.SUBSTITUTION, repo) : numeric.get(i)).sequence().tokens());
        }
        assertThat(markedS).isBetween(160, 240);
    }

    @Test
    void compositionChainsUseOnlyTheCompositionKeysBesideAShareOfNumbers() {
        var config = KvArithmeticExperiment.Config.standard();
        KvRepository repo = KvRepository.random(config.keys(), config.compositionFraction(), config.seed());
        var chains = KvArithmeticExperiment.compositionChains(config, repo, new java.util.Random(9));
        assertThat(chains).hasSize(config.compositionItems());
        // the standard D_C is mixed: the paper's KV-substitution chains beside the KV-arithmetic ones
        assertThat(chains).extracting(KvItem::task).containsOnly(KvTask.SUBSTITUTION, KvTask.KV_ARITHMETIC);
        assertThat(chains.stream().filter(i -> i.task() == KvTask.SUBSTITUTION).count() / (double) chains.size()).isBetween(0.47, 0.53);
        long numbers = chains.stream().flatMap(i -> i.operands().stream()).filter(op -> op.matches("[0-9]{3}")).count();
        long operands = chains.stream().mapToLong(i -> i.operands().size()).sum();
        assertThat(numbers / (double) operands).isBetween(0.23, 0.27);
        for (KvItem item : chains) {
            item.operands().stream().filter(op -> !op.matches("[0-9]{3}")).forEach(key -> assertThat(repo.compositionKeys()).contains(key));
            assertThat(item.answers()).containsExactly(item.as(item.task(), repo).answers()); // answers re-read after numerals replaced keys
        }
        var keysOnly = new KvArithmeticExperiment.Config(config.keys(), config.compositionFraction(), config.compositionData(), 0, config.hidden(),
                config.layers(), config.heads(), config.baseSteps(), config.compositionSteps(), config.batch(), config.baseItems(), config.compositionItems(),
                config.evalItems(), config.baseLr(), config.compositionLr(), config.compositionWeightDecay(), config.compositionStarts(), config.seed());
        assertThat(KvArithmeticExperiment.compositionChains(keysOnly, repo, new java.util.Random(9))).flatExtracting(KvItem::operands)
                .allMatch(repo.compositionKeys()::contains);
    }

    @Test
    void compositionWeightDecayReachesTheTrainerAndTheReport(@TempDir Path tmp) throws Exception {
        var plain = new KvArithmeticExperiment.Config(20, 0.2, CompositionData.ARITHMETIC, 0.25, 16, 2, 2, 3, 2, 8, 40, 20, 10, 3e-3f, 3e-3f, 0f, 1, 1);
        var decayed = new KvArithmeticExperiment.Config(20, 0.2, CompositionData.ARITHMETIC, 0.25, 16, 2, 2, 3, 2, 8, 40, 20, 10, 3e-3f, 3e-3f, 0.5f, 1, 1);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        new KvArithmeticExperiment(plain, quiet).run(tmp.resolve("plain"));
        var outcome = new KvArithmeticExperiment(decayed, quiet).run(tmp.resolve("decayed"));
        assertThat(java.nio.file.Files.mismatch(tmp.resolve("plain/m_A/checkpoint.safetensors"), tmp.resolve("decayed/m_A/checkpoint.safetensors")))
                .as("the base models do not decay").isEqualTo(-1L);
        assertThat(java.nio.file.Files.mismatch(tmp.resolve("plain/calm-variant/checkpoint.safetensors"), tmp.resolve("decayed/calm-variant/checkpoint.safetensors")))
                .as("the composition does").isNotEqualTo(-1L);
        assertThat(KvArithmeticReport.markdown(outcome, "t2 compose kv-arithmetic")).contains("is trained 2 steps (AdamW weight decay 0.5) on D_C, 20 KV-arithmetic chains\nover the composition keys, 25 % of their operands numbers instead");
    }

    @Test
    void compositionStartsRaceInTheirOwnDirectoriesAndReachTheReport(@TempDir Path tmp) throws Exception {
        var raced = new KvArithmeticExperiment.Config(20, 0.2, CompositionData.ARITHMETIC, 0.25, 16, 2, 2, 3, 8, 8, 40, 20, 10, 3e-3f, 3e-3f, 0f, 2, 1);
        var outcome = new KvArithmeticExperiment(raced, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(tmp);
        for (String stage : new String[] {"calm", "calm-variant", "calm-variant-random-m_A", "calm-positional"}) {
            assertThat(tmp.resolve(stage + "/start-0/metrics.jsonl")).exists();
            assertThat(tmp.resolve(stage + "/start-1/metrics.jsonl")).exists();
        }
        assertThat(KvArithmeticReport.markdown(outcome, "t2 compose kv-arithmetic"))
                .contains("is trained 8 steps (the best by training loss of 2 initialisations after 1 steps) on");
    }
}
