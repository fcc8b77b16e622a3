package dev.t2.cli;

import dev.t2.calm.KvArithmeticExperiment;
import dev.t2.calm.KvArithmeticReport;
import dev.t2.calm.KvRepository;
import dev.t2.calm.CompositionData;
import dev.t2.report.ReportFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code t2 compose kv-arithmetic}: the paper's key-value arithmetic experiment in miniature, written to REPORT.md. */
@Command(name = "kv-arithmetic", mixinStandardHelpOptions = true,
        description = "Reproduce CALM's key-value arithmetic result in miniature (trains m_A, m_B, the composition and two ablations).")
final class ComposeKvArithmeticCommand implements Callable<Integer> {
    @Option(names = {"-o", "--out"}, defaultValue = "runs/calm-kv", description = "work directory: checkpoints and metrics (default: ${DEFAULT-VALUE})") Path out;
    @Option(names = "--report", defaultValue = "REPORT.md", description = "report whose CALM section is (re)written (default: ${DEFAULT-VALUE})") Path report;
    @Option(names = "--keys", description = "keys in the repository, 20 %% of them for composition (2..17576; two letters each up to 676, else three; default 2000)") Integer keys;
    @Option(names = "--composition-data", description = "what D_C holds over the composition keys: mixed (half KV-substitution chains, as"
            + " the paper's text has it, half KV-arithmetic; the default), substitution or arithmetic (one kind only)") String compositionData;
    @Option(names = "--composition-numerals", description = "share of D_C's operands that are numbers instead of keys (0..1; default 0.25)")
    Double compositionNumerals;
    @Option(names = "--composition-items", description = "chains in D_C (default 8000)") Integer compositionItems;
    @Option(names = "--base-steps", description = "training steps of m_A and m_B") Integer baseSteps;
    @Option(names = "--composition-steps", description = "training steps of the composition and of each ablation") Integer compositionSteps;
    @Option(names = "--composition-lr", description = "peak learning rate of the composition and of each ablation") Float compositionLr;
    @Option(names = "--composition-weight-decay", description = "AdamW weight decay of the composition and of each ablation (default 0)") Float compositionWeightDecay;
    @Option(names = "--composition-starts", description = "initialisations of each composition that race an eighth of its steps; the one with"
            + " the lowest training loss trains on (default 3)") Integer compositionStarts;
    @Option(names = "--eval-items", description = "chains per task in evaluation") Integer evalItems;
    @Option(names = "--seed", description = "seed of keys, data and initialisations") Long seed;
    @Option(names = "--seeds", split = ",", description = "several seeds, comma-separated: the first one's run is reported in full, every"
            + " one's key figures in a table (the first in the work directory, the others in its seed-N subdirectories)") List<Long> seeds;

    @Override
    public Integer call() throws Exception {
        if (keys != null && (keys < 2 || keys > KvRepository.MAX_KEYS)) {
            throw new IllegalArgumentException("--keys must be in 2.." + KvRepository.MAX_KEYS + " (keys of at most three letters), got " + keys);
        }
        CompositionData data;
        try {
            data = compositionData == null ? null : CompositionData.parse(compositionData);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--composition-data: " + e.getMessage(), e);
        }
        if (compositionNumerals != null && !(compositionNumerals >= 0 && compositionNumerals <= 1)) {
            throw new IllegalArgumentException("--composition-numerals must be in 0..1, got " + compositionNumerals);
        }
        positive("--base-steps", baseSteps);
        positive("--composition-steps", compositionSteps);
        positive("--composition-items", compositionItems);
        positive("--eval-items", evalItems);
        positive("--composition-starts", compositionStarts);
        if (compositionLr != null && !(compositionLr > 0)) throw new IllegalArgumentException("--composition-lr must be > 0, got " + compositionLr);
        if (compositionWeightDecay != null && !(compositionWeightDecay >= 0)) {
            throw new IllegalArgumentException("--composition-weight-decay must be >= 0, got " + compositionWeightDecay);
        }
        if (seed != null && seeds != null) throw new IllegalArgumentException("give --seed or --seeds, not both");
        if (seeds != null && seeds.stream().distinct().count() != seeds.size()) throw new IllegalArgumentException("--seeds repeats a seed: " + seeds);
        var d = KvArithmeticExperiment.Config.standard();
        List<Long> runs = seeds != null ? seeds : List.of(seed != null ? seed : d.seed());
        var config = new KvArithmeticExperiment.Config(keys != null ? keys : d.keys(), d.compositionFraction(),
                data != null ? data : d.compositionData(),
                compositionNumerals != null ? compositionNumerals : d.compositionNumerals(), d.hidden(), d.layers(), d.heads(),
                baseSteps != null ? baseSteps : d.baseSteps(), compositionSteps != null ? compositionSteps : d.compositionSteps(), d.batch(),
                d.baseItems(), compositionItems != null ? compositionItems : d.compositionItems(), evalItems != null ? evalItems : d.evalItems(), d.baseLr(), compositionLr != null ? compositionLr : d.compositionLr(),
                compositionWeightDecay != null ? compositionWeightDecay : d.compositionWeightDecay(),
                compositionStarts != null ? compositionStarts : d.compositionStarts(), runs.getFirst());
        List<KvArithmeticExperiment.Outcome> outcomes = new ArrayList<>();
        for (long s : runs) {
            Path workDir = outcomes.isEmpty() ? out : out.resolve("seed-" + s);
            if (runs.size() > 1) System.err.println("seed " + s + " (" + (outcomes.size() + 1) + " of " + runs.size() + ") in " + workDir);
            outcomes.add(new KvArithmeticExperiment(config.withSeed(s), System.err).run(workDir));
        }
        StringBuilder command = new StringBuilder("./t2 compose kv-arithmetic");
        if (keys != null) command.append(" --keys ").append(keys);
        if (compositionData != null) command.append(" --composition-data ").append(compositionData);
        if (compositionNumerals != null) command.append(" --composition-numerals ").append(compositionNumerals);
        if (compositionItems != null) command.append(" --composition-items ").append(compositionItems);
        if (baseSteps != null) command.append(" --base-steps ").append(baseSteps);
        if (compositionSteps != null) command.append(" --composition-steps ").append(compositionSteps);
        if (compositionLr != null) command.append(" --composition-lr ").append(compositionLr);
        if (compositionWeightDecay != null) command.append(" --composition-weight-decay ").append(compositionWeightDecay);
        if (compositionStarts != null) command.append(" --composition-starts ").append(compositionStarts);
        if (evalItems != null) command.append(" --eval-items ").append(evalItems);
        if (seed != null) command.append(" --seed ").append(seed);
        if (seeds != null) command.append(" --seeds ").append(String.join(",", seeds.stream().map(String::valueOf).toList()));
        String markdown = KvArithmeticReport.markdown(outcomes, command.toString());
        ReportFile.replaceSection(report, "calm", markdown);
        System.out.println(markdown);
        System.err.println("CALM section written to " + report);
        return 0;
    }

    private static void positive(String option, Integer value) {
        if (value != null && value <= 0) throw new IllegalArgumentException(option + " must be at least 1, got " + value);
    }
}
