package dev.t2.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.io.LoadedModel;
import dev.t2.tasks.Evaluation;
import dev.t2.tasks.PromptFormat;
import dev.t2.tasks.Split;
import dev.t2.tasks.Task;
import dev.t2.tasks.TaskItem;
import dev.t2.tasks.Tasks;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.t2.adapt.Mixture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code t2 eval}: greedy accuracy on a task split with a confidence interval and per-sample JSONL. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model (optionally with an SVF expert) on a task.")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--task", required = true, description = "gsm8k, math, math500, arc-easy, arc-challenge, mbpp, mbpp-sanitized, humaneval, classification, or a .jsonl file")
    String task;

    @Option(names = "--split", description = "train, valid or test (default: ${DEFAULT-VALUE})", defaultValue = "test")
    String split;

    @Option(names = "--limit", description = "evaluate the first N items only")
    Integer limit;

    @Option(names = "--batch", description = "prompts generated together (default: ${DEFAULT-VALUE})", defaultValue = "16")
    int batch;

    @Option(names = "--max-new-tokens", description = "override the task's generation budget")
    Integer maxNewTokens;

    @Option(names = "--data", description = "dataset root (default: ../shared/data)", defaultValue = "../shared/data")
    Path data;

    @Option(names = "--samples", description = "write per-sample JSONL here (default: eval-<task>-<split>.jsonl)")
    Path samples;

    @Option(names = "--json", description = "print the summary as one JSON line")
    boolean json;

    @Mixin
    TwoPassOptions twoPassOptions;

    @Option(names = "--shots", defaultValue = "10", description = "fewshot: labelled items the CEM search scores on (default: ${DEFAULT-VALUE})")
    int shots;

    @Option(names = "--shot-seed", description = "fewshot: seed choosing the shots (default: the reference's per task: math 27, humaneval 16, arc-challenge 38, else 42)")
    Long shotSeed;

    @Override
    public Integer call() {
        Task t = resolveTask(task, data);
        Split s = Split.valueOf(split.toUpperCase());
        List<TaskItem> items = t.items(s);
        if (items.isEmpty()) throw new IllegalArgumentException("task " + t.name() + " has no " + split + " items");
        if (limit != null) items = items.subList(0, Math.min(limit, items.size()));
        LoadedModel loaded = modelOptions.load();
        PromptFormat format = new PromptFormat(loaded.tokenizer(), loaded.chatTemplate());
        Path out = samples != null ? samples : Path.of("eval-" + t.name() + "-" + split + ".jsonl");
        Path outDir = out.toAbsolutePath().getParent(); // few-shot's searched expert and CEM log go beside the samples
        double pass1Seconds = 0;
        long t0 = System.nanoTime();
        List<Evaluation.Sample> results;
        Map<String, Integer> pass1Choices = new java.util.TreeMap<>(); // how many items pass 1 sent where
        String strategy = twoPassOptions.strategy;
        Path experts = twoPassOptions.experts;
        if (twoPassOptions.none()) {
            results = Evaluation.run(modelOptions.adapted(loaded), format, t, items, loaded.stopTokens(), batch, maxNewTokens);
        } else if (strategy.equals("fewshot")) {
            var split2 = fewShot(loaded, t, items, format, outDir);
            pass1Seconds = split2.searchSeconds();
            items = split2.rest();
            t0 = System.nanoTime();
            results = Evaluation.run(split2.model(), format, t, items, loaded.stopTokens(), batch, maxNewTokens);
        } else {
            if ((modelOptions.expert != null || modelOptions.lora != null)) throw new IllegalArgumentException("give either --expert/--lora or --strategy, not both");
            TwoPassSetup twoPass = new TwoPassSetup(loaded, twoPassOptions, modelOptions.cacheDir, modelOptions.transfer);
            // pass 1 for every item, then pass 2 batched per chosen mixture; the two are timed apart (the paper's Table 3)
            Map<Map<String, Double>, List<Integer>> groups = new LinkedHashMap<>(); // by the weights; reasons differ per item
            Map<Map<String, Double>, Mixture> firstChoice = new LinkedHashMap<>();
            long p1 = System.nanoTime();
            List<Mixture> chosen = twoPass.chooseAll(items.stream().map(TaskItem::user).toList(), batch);
            for (int i = 0; i < items.size(); i++) {
                Mixture m = chosen.get(i);
                pass1Choices.merge(m.label(), 1, Integer::sum);
                firstChoice.putIfAbsent(m.weights(), m);
                groups.computeIfAbsent(m.weights(), k -> new ArrayList<>()).add(i);
            }
            pass1Seconds = (System.nanoTime() - p1) / 1e9;
            Evaluation.Sample[] ordered = new Evaluation.Sample[items.size()];
            t0 = System.nanoTime();
            for (var g : groups.entrySet()) {
                List<TaskItem> groupItems = g.getValue().stream().map(items::get).toList();
                Mixture m = firstChoice.get(g.getKey());
                System.err.printf("pass 2: %d items with %s (e.g. %s)%n", groupItems.size(),
                        m.isBase() ? "the base model" : "experts " + m.weights(), m.reason());
                var part = Evaluation.run(twoPass.model(m), format, t, groupItems, loaded.stopTokens(), batch, maxNewTokens);
                for (int k = 0; k < part.size(); k++) ordered[g.getValue().get(k)] = part.get(k);
            }
            results = List.of(ordered);
        }
        var summary = Evaluation.summarize(t.name(), split, results, (System.nanoTime() - t0) / 1e9);
        if (!strategy.equals("none")) {
            System.err.printf("pass 1: %.2f s, pass 2: %.2f s (pass 1 = %.1f %% of pass 2)%n", pass1Seconds, summary.seconds(),
                    100 * pass1Seconds / summary.seconds());
        }
        Evaluation.writeSamples(out, results);
        if (json) {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().valueToTree(summary);
            node.put("strategy", strategy);
            if (!strategy.equals("none")) node.put("pass1_seconds", pass1Seconds);
            if (!pass1Choices.isEmpty()) {
                var choices = node.putObject("pass1_choices");
                pass1Choices.forEach(choices::put);
            }
            System.out.println(node);
        } else {
            System.out.printf("%s %s: %d/%d correct, accuracy %.4f (95%% CI %.4f–%.4f), %.1f s, %d tokens generated; samples in %s%n",
                    t.name(), split, summary.correct(), summary.items(), summary.accuracy(), summary.low(), summary.high(),
                    summary.seconds(), summary.generatedTokens(), out);
        }
        return 0;
    }

    private record FewShotResult(dev.t2.model.LlamaModel model, List<TaskItem> rest, double searchSeconds) {}

    /** Strategy 3: k seeded shots searched by CEM; the mixture is saved as an expert and used on the remaining items. */
    private FewShotResult fewShot(LoadedModel loaded, Task t, List<TaskItem> items, PromptFormat format, Path outDir) {
        Path experts = twoPassOptions.experts;
        if (experts == null) throw new IllegalArgumentException("--strategy fewshot needs --experts DIR");
        if (items.size() <= shots) throw new IllegalArgumentException("need more than --shots " + shots + " items to score the rest");
        var library = dev.t2.adapt.ExpertLibrary.load(experts);
        var expertList = library.entries().stream().map(dev.t2.adapt.ExpertLibrary.Entry::expert).toList();
        for (var e : expertList) dev.t2.svf.AdaptedWeights.check(e, loaded.config(), loaded.weights(), modelOptions.transfer, System.err);
        var svds = dev.t2.svf.SvdCache.loadOrCompute(loaded.weights(), List.copyOf(expertList.getFirst().scales().keySet()),
                SvdCommand.cacheRoot(loaded, modelOptions.cacheDir));
        long seed = shotSeed != null ? shotSeed : switch (t.name()) {
            case "math", "math500" -> 27;
            case "humaneval" -> 16;
            case "arc-challenge" -> 38;
            default -> 42;
        };
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) order.add(i);
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        java.util.Set<Integer> shotIndices = new java.util.HashSet<>(order.subList(0, shots));
        List<TaskItem> shotItems = new ArrayList<>(), rest = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) (shotIndices.contains(i) ? shotItems : rest).add(items.get(i));
        var search = new dev.t2.adapt.FewShotSearch(loaded.config(), loaded.weights(), svds, expertList);
        long t0 = System.nanoTime();
        FewShotOutcome outcome;
        try {
            var found = search.search(t, shotItems, format, loaded.stopTokens(), maxNewTokens != null ? maxNewTokens : t.maxNewTokens(),
                    twoPassOptions.cem(seed),
                    outDir.resolve("cem-" + t.name() + ".jsonl"));
            outcome = new FewShotOutcome(found.scales(), found.score().primary());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        var first = expertList.getFirst();
        Path saved = outDir.resolve("fewshot-" + t.name() + ".safetensors");
        dev.t2.svf.ExpertFile.write(saved, new dev.t2.svf.SvfExpert(outcome.scales(), first.shapes(), first.baseFingerprint(), first.architecture(),
                first.targets(), Map.of("task", t.name(), "strategy", "fewshot", "shots", Integer.toString(shots),
                        "shot_accuracy", Double.toString(outcome.shotAccuracy()))));
        System.err.printf("pass 1 (few-shot CEM on %d shots, %.1f s): shot accuracy %.3f; mixture saved as %s; CEM log in %s%n",
                shots, seconds, outcome.shotAccuracy(), saved, outDir.resolve("cem-" + t.name() + ".jsonl"));
        var model = new dev.t2.model.LlamaModel(loaded.config(), dev.t2.svf.AdaptedWeights.apply(loaded.weights(), svds, outcome.scales()));
        return new FewShotResult(model, rest, seconds);
    }

    private record FewShotOutcome(Map<String, float[]> scales, double shotAccuracy) {}

    static Task resolveTask(String name, Path data) {
        if (name.endsWith(".jsonl")) return Tasks.fromJsonl(Path.of(name));
        if (name.startsWith("synth-")) return dev.t2.tasks.SyntheticTasks.byName(name); // generated: needs no data directory
        if (!Files.isDirectory(data)) throw new IllegalArgumentException("dataset root " + data + " not found (use --data)");
        return Tasks.byName(name, data);
    }
}
