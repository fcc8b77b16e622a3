package dev.t2.calm;

import dev.t2.model.Backprop;
import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.Parameter;
import dev.t2.model.RandomWeights;
import dev.t2.model.RopeScaling;
import dev.t2.model.TrainableWeights;
import dev.t2.rl.CosineSchedule;
import dev.t2.svf.LoraPolicy;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * CALM's key-value arithmetic experiment (paper §4.1, Table 1) in miniature, end to end with fixed seeds: m_A is
 * trained from scratch on KV-substitution, m_B on numeric arithmetic; a linear probe checks that m_A's states carry
 * the values; the composition is trained on KV-arithmetic over 20 % of the keys and every reader is evaluated on the
 * three tasks over the other keys; ablations replace m_A by a random model, and the composition by LoRA on m_B with
 * as many parameters. Checkpoints under the work directory let a killed run resume.
 */
public final class KvArithmeticExperiment {
    /** Sizes, steps and seeds of one run. */
    public record Config(int keys, double compositionFraction, CompositionData compositionData, double compositionNumerals, int hidden,
                         int layers, int heads, int baseSteps, int compositionSteps, int batch, int baseItems, int compositionItems,
                         int evalItems, float baseLr, float compositionLr, float compositionWeightDecay, int compositionStarts, long seed) {
        /** Steps each start of a composition races before the best one trains on (see {@link CompositionTrainer#trainBestOfStarts}). */
        public int raceSteps() {
            return CompositionTrainer.defaultRaceSteps(compositionSteps);
        }

        /** What REPORT.md's numbers come from: minutes on two cores. */
        public static Config standard() {
            return new Config(2000, 0.2, CompositionData.MIXED, 0.25, 64, 4, 4, 1500, 4000, 64, 20000, 8000, 200, 3e-3f, 3e-3f, 0f, 3, 1);
        }

        public Config withSeed(long newSeed) {
            return new Config(keys, compositionFraction, compositionData, compositionNumerals, hidden, layers, heads, baseSteps,
                    compositionSteps, batch, baseItems, compositionItems, evalItems, baseLr, compositionLr, compositionWeightDecay,
                    compositionStarts, newSeed);
        }
    }

    /**
     * Accuracies of one reader on each task over the held-out keys, and on KV-arithmetic over the composition keys (what D_C
     * showed it: the gap between the two separates learning the 20 % from reading values out of m_A).
     */
    public record Row(String reader, long trainedParameters, Map<KvTask, Double> accuracy, double kvArithmeticOnCompositionKeys,
                      double firstValueOfHeldOutKey, double answerGivenRightRunningResult) {}

    /** Everything the report states. */
    public record Outcome(Config config, KvRepository repository, CompositionConfig pairs, CompositionConfig variant, long compositionParameters, long loraParameters,
                          int loraRank, Map<Integer, double[]> probe, List<Row> rows, Map<String, Double> trainingLoss, Map<String, Double> seconds,
                          List<String> examples) {}

    /** Share of the operands in m_A's training chains that are numbers instead of keys. */
    static final double NUMERALS_READ_BY_M_A = 0.25;

    private final Config config;
    private final PrintStream log;

    public KvArithmeticExperiment(Config config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    public ModelConfig modelConfig() {
        return new ModelConfig("LlamaForCausalLM", config.hidden(), 2 * config.hidden(), config.layers(), config.heads(), config.heads(),
                config.hidden() / config.heads(), KvVocabulary.SIZE, 64, 1e-5f, 10000, RopeScaling.NONE, false, false, false, 0,
                KvVocabulary.BOS, List.of());
    }

    public Outcome run(Path workDir) throws IOException {
        Map<String, Double> seconds = new LinkedHashMap<>(), trainingLoss = new LinkedHashMap<>();
        KvRepository repo = KvRepository.random(config.keys(), config.compositionFraction(), config.seed());
        Random rnd = new Random(config.seed() + 1);
        List<String> all = repo.allKeys();
        List<KvItem> substitution = items(KvTask.SUBSTITUTION, repo, all, config.baseItems(), rnd);
        List<KvItem> numeric = items(KvTask.NUMERIC, repo, all, config.baseItems(), rnd);
        List<KvItem> composition = compositionChains(config, repo, rnd);
        Map<KvTask, List<KvItem>> heldOut = new EnumMap<>(KvTask.class);
        for (KvTask t : KvTask.values()) heldOut.put(t, items(t, repo, repo.heldOutKeys(), config.evalItems(), rnd));
        Evaluation eval = new Evaluation(heldOut, items(KvTask.KV_ARITHMETIC, repo, repo.compositionKeys(), config.evalItems(), rnd));
        log.printf("repository: %d keys, %d for composition, %d held out; e.g. %s | %s | %s%n", config.keys(), repo.compositionKeys().size(),
                repo.heldOutKeys().size(), substitution.getFirst(), numeric.getFirst(), composition.getFirst());

        ModelConfig c = modelConfig();
        LlamaModel augment = pretrain("m_A", c, augmentTrainingData(substitution, repo, config.seed()), workDir.resolve("m_A"), 11);
        seconds.put("pretrain m_A", TargetedTraining.loggedSeconds(workDir.resolve("m_A")));
        LlamaModel anchor = pretrain("m_B", c, anchorTrainingData(numeric, repo, config.seed()), workDir.resolve("m_B"), 12);
        seconds.put("pretrain m_B", TargetedTraining.loggedSeconds(workDir.resolve("m_B")));

        CompositionConfig pairs = CompositionConfig.uniform(c.numLayers(), c.numLayers(), CompositionConfig.defaultPairCount(c.numLayers(), c.numLayers()), c.numHeads());
        Map<Integer, double[]> probe = probe(augment, repo, rnd);
        for (var e : probe.entrySet()) log.printf("linear probe of m_A layer %d: value accuracy %.3f on composition keys, %.3f on held-out keys%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
        double atPair = probe.get(pairs.pairs().getFirst().augmentLayer())[1];
        if (atPair < 0.9) log.printf("warning: m_A's layer %d carries held-out keys' values only %.0f %% of the time; composition cannot do better%n",
                pairs.pairs().getFirst().augmentLayer(), 100 * atPair);

        List<Row> rows = new ArrayList<>();
        rows.add(evaluate("m_A", 0, augment, eval));
        rows.add(evaluate("m_B", 0, anchor, eval));
        List<TargetedTraining.Sequence> data = composition.stream().map(KvItem::sequence).toList();
        TrainableWeights frozenAnchor = TrainableWeights.frozen(c, anchor.weights());

        Composition calm = composeAndEvaluate("CALM", "CALM (m_A ⊕ m_B)", pairs, augment, anchor, frozenAnchor, data, eval, workDir.resolve("calm"),
                rows, trainingLoss, seconds);
        // our variant: the same m_A layers entering m_B before its first layer, with position-aware cross-attention
        CompositionConfig variant = new CompositionConfig(pairs.pairs().stream().map(p -> new LayerPair(p.augmentLayer(), -1)).toList(),
                pairs.heads(), true);
        composeAndEvaluate("CALM variant", "CALM variant " + variant.pairs() + ", positional", variant, augment, anchor, frozenAnchor, data, eval,
                workDir.resolve("calm-variant"), rows, trainingLoss, seconds);
        List<String> examples = new ArrayList<>();
        for (KvItem item : heldOut.get(KvTask.KV_ARITHMETIC).subList(0, 3)) examples.add(item.toString());
        LlamaModel randomAugment = new LlamaModel(c, RandomWeights.create(c, DType.F32, config.seed() + 30, 0.02));
        composeAndEvaluate("random m_A", "ablation: random m_A, CALM variant", variant, randomAugment, anchor, frozenAnchor, data, eval,
                workDir.resolve("calm-variant-random-m_A"), rows, trainingLoss, seconds);

        List<String> targets = List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj");
        long perRank = (long) c.numLayers() * (2L * (c.hiddenSize() + c.queryDim()) + 2L * (c.hiddenSize() + c.kvDim()));
        int rank = (int) Math.max(1, Math.round(calm.parameterCount() / (double) perRank));
        LoraPolicy lora = new LoraPolicy(c, anchor.weights(), targets, rank, rank, 0f, config.seed() + 40);
        trainingLoss.put("LoRA", TargetedTraining.train("lora", lora.parameters(), loss -> Backprop.runInMicroBatches(lora.trainable(), loss, false, null, 4096), data,
                trainingConfig(config.compositionSteps(), config.compositionLr()), workDir.resolve("lora-m_B")));
        rows.add(evaluate("ablation: LoRA on m_B (rank " + rank + ")", lora.parameterCount(), lora.model(), eval));
        seconds.put("LoRA", TargetedTraining.loggedSeconds(workDir.resolve("lora-m_B")));
        // the paper's pairs with the variant's positional cross-attention: which of the variant's two changes carries its result
        composeAndEvaluate("CALM positional", "CALM " + pairs.pairs() + ", positional", new CompositionConfig(pairs.pairs(), pairs.heads(), true),
                augment, anchor, frozenAnchor, data, eval, workDir.resolve("calm-positional"), rows, trainingLoss, seconds);
        return new Outcome(config, repo, pairs, variant, calm.parameterCount(), lora.parameterCount(), rank, probe, rows, trainingLoss, seconds, examples);
    }

    /**
     * m_A's chains: KV-substitution, a share of the operands numbers (m_A reads numerals, as a pretrained model knows what they
     * say, so the composition meets no state of m_A at a number that m_A never formed; answers stay values, so m_A still
     * cannot combine them), and half of them under the marker A (with a marker it never trained on, an untrained embedding,
     * its reading of keys in KV-arithmetic chains depended on the seed: probe of its last layer, held-out keys 93.1-99.5 %).
     */
    static List<TargetedTraining.Sequence> augmentTrainingData(List<KvItem> substitution, KvRepository repo, long seed) {
        Random markers = new Random(seed + 2), numerals = new Random(seed + 3);
        return substitution.stream().map(i -> i.withNumerals(NUMERALS_READ_BY_M_A, repo, numerals))
                .map(i -> i.sequence(markers.nextBoolean() ? KvTask.KV_ARITHMETIC : i.task())).toList();
    }

    /** m_B's chains: numeric arithmetic, half of them rewritten under S (each number's value), as the paper's pretrained anchor can. */
    static List<TargetedTraining.Sequence> anchorTrainingData(List<KvItem> numeric, KvRepository repo, long seed) {
        Random markers = new Random(seed + 4);
        return numeric.stream().map(i -> markers.nextBoolean() ? i.as(KvTask.SUBSTITUTION, repo) : i).map(KvItem::sequence).toList();
    }

    /**
     * D_C: chains over the composition keys (what they answer is {@link Config#compositionData}), a share of their operands
     * numbers, as the paper's D_C examples hold numbers beside keys: the composition meets numerals and learns to leave them to m_B.
     */
    static List<KvItem> compositionChains(Config config, KvRepository repo, Random rnd) {
        Random numerals = new Random(config.seed() + 6);
        return config.compositionData().draw(repo, repo.compositionKeys(), config.compositionItems(), rnd, new Random(config.seed() + 5))
                .stream().map(i -> i.withNumerals(config.compositionNumerals(), repo, numerals)).toList();
    }

    /** Trains a composition of {@code augment} into the frozen anchor on D_C (or resumes), evaluates it, and records loss, row and time under {@code label}. */
    private Composition composeAndEvaluate(String label, String reader, CompositionConfig pairs, LlamaModel augment, LlamaModel anchor,
                                           TrainableWeights frozenAnchor, List<TargetedTraining.Sequence> data, Evaluation eval,
                                           Path dir, List<Row> rows, Map<String, Double> trainingLoss, Map<String, Double> seconds) throws IOException {
        var trained = CompositionTrainer.trainBestOfStarts(seed -> Composition.initialise(pairs, augment.config(), anchor.config(), seed),
                config.seed() + 20, config.compositionStarts(), config.raceSteps(), frozenAnchor, augment, data,
                trainingConfig(config.compositionSteps(), config.compositionLr()), dir);
        Composition composition = trained.composition();
        if (config.compositionStarts() > 1) log.printf("%s: start %d of %d had the lowest training loss after %d steps%n", label, trained.start() + 1,
                config.compositionStarts(), config.raceSteps());
        trainingLoss.put(label, trained.loss());
        rows.add(evaluate(reader, composition.parameterCount(), new ComposedModel(anchor, augment, composition), eval));
        seconds.put(label, CompositionTrainer.loggedSeconds(dir, config.compositionStarts()));
        return composition;
    }

    private static List<KvItem> items(KvTask task, KvRepository repo, List<String> keys, int n, Random rnd) {
        List<KvItem> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(KvItem.random(task, repo, keys, rnd));
        return out;
    }

    private TargetedTraining.Config trainingConfig(int steps, float lr) {
        return new TargetedTraining.Config(steps, config.batch(), new CosineSchedule(Math.min(50, steps / 10), steps, lr, lr / 10),
                config.compositionWeightDecay(), 1f,
                Math.max(1, steps / 4), config.seed());
    }

    /** A model trained from scratch (every weight) on the sequences' answers; returned as an inference model. */
    private LlamaModel pretrain(String name, ModelConfig c, List<TargetedTraining.Sequence> data, Path dir, long seed) throws IOException {
        TrainableWeights w = TrainableWeights.allTrainable(c, RandomWeights.create(c, DType.F32, config.seed() + seed, 0.02));
        var train = new TargetedTraining.Config(config.baseSteps(), config.batch(), new CosineSchedule(Math.min(100, config.baseSteps() / 10),
                config.baseSteps(), config.baseLr(), config.baseLr() / 10), 0.01f, 1f, Math.max(1, config.baseSteps() / 10), config.seed() + seed);
        double loss = TargetedTraining.train(name, w.trainable(), l -> Backprop.runInMicroBatches(w, l, false, null, 4096), data, train, dir);
        log.printf("%s: %,d parameters, final loss %.4f%n", name, w.trainableCount(), loss);
        return new LlamaModel(c, weightsOf(c, w));
    }

    static LlamaWeights weightsOf(ModelConfig c, TrainableWeights w) {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Parameter p : w.trainable()) {
            long[] dims = java.util.Arrays.stream(p.shape()).asLongStream().toArray();
            byName.put(p.name(), Tensor.ofFloats(p.name(), p.value().clone(), dims));
        }
        return LlamaWeights.fromNames(c, byName::get, "trained weights");
    }

    /** The evaluation chains: every task over the held-out keys, and KV-arithmetic over the composition keys. */
    private record Evaluation(Map<KvTask, List<KvItem>> heldOut, List<KvItem> compositionKeys) {}

    private Row evaluate(String reader, long params, dev.t2.model.CausalLanguageModel model, Evaluation eval) {
        Map<KvTask, Double> acc = new EnumMap<>(KvTask.class);
        double firstValue = Double.NaN;
        for (KvTask t : KvTask.values()) {
            ChainEvaluation.Result r = ChainEvaluation.run(model, eval.heldOut().get(t), 100);
            acc.put(t, r.accuracy());
            if (t == KvTask.KV_ARITHMETIC) firstValue = r.firstAnswerAccuracy();
        }
        double seen = ChainEvaluation.run(model, eval.compositionKeys(), 100).accuracy();
        double perAnswer = ChainEvaluation.teacherForced(model, eval.heldOut().get(KvTask.KV_ARITHMETIC), 100).answerAccuracy();
        log.printf("%-32s %s, KV-arithmetic on composition keys %.3f, first answer on held-out keys %.3f, each answer given the right"
                + " running result %.3f%n", reader, acc, seen, firstValue, perAnswer);
        return new Row(reader, params, acc, seen, firstValue, perAnswer);
    }

    /**
     * Per layer of m_A: probe accuracy of the operand's value from the state at its last letter in KV-arithmetic chains, fit on
     * chains over the composition keys, measured there and on chains over the held-out keys.
     */
    private Map<Integer, double[]> probe(LlamaModel augment, KvRepository repo, Random rnd) {
        int n = Math.max(200, config.evalItems());
        List<KvItem> fitItems = items(KvTask.KV_ARITHMETIC, repo, repo.compositionKeys(), n, rnd);
        List<KvItem> testItems = items(KvTask.KV_ARITHMETIC, repo, repo.heldOutKeys(), n, rnd);
        Map<Integer, double[]> out = new LinkedHashMap<>();
        int d = augment.config().hiddenSize();
        for (int layer = 0; layer < augment.config().numLayers(); layer++) {
            ProbeData fit = probeData(augment, fitItems, repo, layer), test = probeData(augment, testItems, repo, layer);
            LinearProbe probe = LinearProbe.fit(fit.states(), fit.labels(), d, 10, 1e-2 * fit.labels().length);
            out.put(layer, new double[] {probe.accuracy(fit.states(), fit.labels()), probe.accuracy(test.states(), test.labels())});
        }
        return out;
    }

    private record ProbeData(float[] states, int[] labels) {}

    private static ProbeData probeData(LlamaModel augment, List<KvItem> items, KvRepository repo, int layer) {
        var states = AugmentStates.of(augment, items.stream().map(i -> i.sequence().tokens()).toList(), new int[] {layer}).get(layer);
        int d = augment.config().hiddenSize(), count = items.stream().mapToInt(i -> i.operands().size()).sum();
        float[] x = new float[count * d];
        int[] labels = new int[count];
        int row = 0, offset = 0;
        for (KvItem item : items) {
            int[] eq = item.answeringPositions();
            for (int k = 0; k < eq.length; k++, row++) {
                System.arraycopy(states, (offset + eq[k]) * d, x, row * d, d);
                labels[row] = repo.value(item.operands().get(k));
            }
            offset += item.sequence().tokens().length;
        }
        return new ProbeData(x, labels);
    }
}
