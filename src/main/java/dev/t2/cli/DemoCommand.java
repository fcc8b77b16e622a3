package dev.t2.cli;

import dev.t2.adapt.AdaptedModels;
import dev.t2.adapt.ExpertLibrary;
import dev.t2.adapt.Mixture;
import dev.t2.adapt.PromptDispatcher;
import dev.t2.generate.GenerationOptions;
import dev.t2.generate.Generator;
import dev.t2.io.LoadedModel;
import dev.t2.io.ModelLoader;
import dev.t2.model.LlamaModel;
import dev.t2.rl.ReinforceConfig;
import dev.t2.rl.ReinforceTrainer;
import dev.t2.svf.AdaptedWeights;
import dev.t2.svf.ExpertFile;
import dev.t2.svf.Svd;
import dev.t2.svf.SvdCache;
import dev.t2.svf.SvfExpert;
import dev.t2.svf.SvfPolicy;
import dev.t2.svf.SvfTargets;
import dev.t2.tasks.Evaluation;
import dev.t2.tasks.PromptFormat;
import dev.t2.tasks.Split;
import dev.t2.tasks.SyntheticTasks;
import dev.t2.tasks.Task;
import dev.t2.tasks.TaskItem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code t2 demo}: the whole Transformer² pipeline on the in-house base model shipped in the jar — SVD, the SVF
 * experts (shipped, or retrained), pass 1 classifying prompts of task families the model never trained on,
 * pass 2 answering with the adapted weights, and base vs adapted accuracy. {@code --stories}: the first demo,
 * greedy generation with stories260K.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the Transformer² pipeline on the shipped base model (or --stories).")
final class DemoCommand implements Callable<Integer> {
    static final String SHIPPED = "/models/t2-tiny-base/";
    static final List<String> SHIPPED_FILES = List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
            "experts/experts.json", "experts/math.safetensors", "experts/code.safetensors", "experts/reasoning.safetensors",
            "experts/classifier.safetensors");
    private static final List<String> UNSEEN = List.of("synth-math-hard", "synth-code-vars", "synth-reasoning-4");

    @Option(names = "--stories", description = "instead: generate a story greedily with the embedded stories260K model") boolean stories;
    @Option(names = "--base", description = "base model directory with experts/ (default: the shipped t2-tiny-base)") Path base;
    @Option(names = "--retrain-steps", defaultValue = "0", description = "retrain each SVF expert for this many REINFORCE steps instead of loading the shipped ones (0: load)")
    int retrainSteps;
    @Option(names = "--items", defaultValue = "40", description = "test items per unseen task family for the accuracy table (default: ${DEFAULT-VALUE})") int items;
    @Option(names = "--work", description = "working directory for the SVD cache and retrained experts (default: a temporary one)") Path work;

    @Override
    public Integer call() throws IOException {
        if (stories) return storiesDemo();
        Path dir = base != null ? base : deletedOnExit(extractShippedModel());
        Path workDir = work != null ? Files.createDirectories(work) : deletedOnExit(Files.createTempDirectory("t2-demo"));
        LoadedModel loaded = ModelLoader.load(dir);
        var c = loaded.config();
        System.out.printf("== Transformer² demo on %s: %d layers, hidden %d, %,d parameters%n", base != null ? dir : "the shipped t2-tiny-base",
                c.numLayers(), c.hiddenSize(), loaded.weights().parameterCount());

        System.out.println("\n== 1. SVD of every MLP matrix (W = U·diag(σ)·Vᵀ, computed once and cached)");
        List<String> projections = SvfTargets.MLP.names(c.numLayers());
        Map<String, Svd> svds = SvdCache.loadOrCompute(loaded.weights(), projections, workDir.resolve("svd"));
        System.out.printf("%d matrices decomposed%n", svds.size());

        System.out.println("\n== 2. SVF experts (one vector z per matrix: W' = U·diag(σ⊙z)·Vᵀ)");
        Path experts = dir.resolve("experts"), classifierFile = experts.resolve("classifier.safetensors");
        if (retrainSteps > 0) {
            experts = workDir.resolve("experts");
            for (String d : List.of("math", "code", "reasoning", "classification")) {
                Path expert = retrain(loaded, svds, d, workDir.resolve("train-" + d));
                if (d.equals("classification")) classifierFile = expert;
                else ExpertLibrary.register(Files.createDirectories(experts), d, copy(expert, experts.resolve(d + ".safetensors")), d, "retrained by t2 demo");
            }
        }
        ExpertLibrary library = ExpertLibrary.load(experts);
        for (var e : library.entries()) {
            System.out.printf("  %-10s %,6d parameters  trained on %-16s validation accuracy %s%n", e.name(), e.expert().parameterCount(),
                    e.expert().info().getOrDefault("task", "?"), e.expert().info().getOrDefault("validation_score", "?"));
        }
        SvfExpert classifier = ExpertFile.read(classifierFile);
        System.out.printf("  %-10s %,6d parameters  trained on %-16s validation accuracy %s%n", "classifier", classifier.parameterCount(),
                classifier.info().getOrDefault("task", "?"), classifier.info().getOrDefault("validation_score", "?"));

        PromptFormat format = new PromptFormat(loaded.tokenizer(), loaded.chatTemplate());
        var pass1Model = new LlamaModel(c, AdaptedWeights.apply(loaded.weights(), svds, classifier.scales()));
        var dispatcher = new PromptDispatcher(pass1Model, loaded.tokenizer(), loaded.chatTemplate(), loaded.stopTokens(), library, 64);
        var promptDispatcher = new PromptDispatcher(loaded.model(), loaded.tokenizer(), loaded.chatTemplate(), loaded.stopTokens(), library, 64);
        var adapted = new AdaptedModels(c, loaded.weights(), svds, library);

        System.out.println("\n== 3. Two passes on prompts of task families the model never trained on");
        for (String name : UNSEEN) {
            Task task = SyntheticTasks.byName(name);
            TaskItem item = task.items(Split.TEST).getFirst();
            Mixture byPrompt = promptDispatcher.choose(item.user()), byClassifier = dispatcher.choose(item.user());
            String before = answer(loaded.model(), loaded, format, task, item), after = answer(adapted.model(byClassifier), loaded, format, task, item);
            System.out.printf("%n[%s] %s%n", name, item.user().replace("\n", "\n    "));
            System.out.printf("  pass 1, prompt-based:        %s → %s%n", byPrompt.reason(), describe(byPrompt));
            System.out.printf("  pass 1, classification expert: %s → %s%n", byClassifier.reason(), describe(byClassifier));
            System.out.printf("  base:    %s  %s%n", before.strip(), mark(task, item, before));
            System.out.printf("  adapted: %s  %s%n", after.strip(), mark(task, item, after));
        }

        System.out.printf("%n== 4. Accuracy on %d test items per unseen family (pass 1: classification expert)%n", items);
        System.out.printf("%-20s %10s %10s%n", "task", "base", "adapted");
        for (String name : UNSEEN) {
            Task task = SyntheticTasks.byName(name);
            List<TaskItem> test = task.items(Split.TEST).subList(0, Math.min(items, task.items(Split.TEST).size()));
            double baseAcc = accuracy(Evaluation.run(loaded.model(), format, task, test, loaded.stopTokens(), 16, null));
            Map<Map<String, Double>, List<TaskItem>> groups = new LinkedHashMap<>(); // pass 2 batched per chosen mixture
            List<Mixture> chosen = dispatcher.chooseAll(test.stream().map(TaskItem::user).toList(), 16);
            for (int i = 0; i < test.size(); i++) groups.computeIfAbsent(chosen.get(i).weights(), k -> new ArrayList<>()).add(test.get(i));
            List<Evaluation.Sample> samples = new ArrayList<>();
            for (var g : groups.entrySet()) {
                samples.addAll(Evaluation.run(adapted.model(new Mixture(g.getKey(), "")), format, task, g.getValue(), loaded.stopTokens(), 16, null));
            }
            System.out.printf("%-20s %9.1f%% %9.1f%%%n", name, 100 * baseAcc, 100 * accuracy(samples));
        }
        System.out.println("\nThe full tables (SVF vs LoRA, prompt vs classifier vs few-shot, pass timings): REPORT.md, regenerated by scripts/report.sh.");
        return 0;
    }

    private Path retrain(LoadedModel loaded, Map<String, Svd> svds, String domain, Path out) {
        Task task = SyntheticTasks.byName("synth-" + domain);
        PromptFormat format = new PromptFormat(loaded.tokenizer(), loaded.chatTemplate());
        var policy = new SvfPolicy(loaded.config(), loaded.weights(), svds, SvfTargets.MLP, 1f, 42);
        var config = new ReinforceConfig(retrainSteps, 32, 2e-3f, 1e-3f, 0f, 0f, task.maxNewTokens(), Math.max(1, retrainSteps / 4), false, 0f, true, 42);
        System.out.printf("retraining the %s expert: %d REINFORCE steps of 32 prompts%n", domain, retrainSteps);
        try {
            var trainer = new ReinforceTrainer(policy, loaded.tokenizer(), loaded.stopTokens(), task.stopStrings(), config,
                    TrainCommand.episodes(task, task.items(Split.TRAIN), format), TrainCommand.episodes(task, task.items(Split.VALID).subList(0, 50), format),
                    out, Map.of("task", task.name(), "method", "svf"));
            trainer.run();
            return trainer.expertFile();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String copy(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        return to.getFileName().toString();
    }

    private static String answer(LlamaModel model, LoadedModel loaded, PromptFormat format, Task task, TaskItem item) {
        var options = GenerationOptions.greedy(task.maxNewTokens(), loaded.stopTokens()).withStopStrings(task.stopStrings());
        return new Generator(model, loaded.tokenizer()).generate(format.tokens(item), options, null).text();
    }

    private static String mark(Task task, TaskItem item, String output) {
        return task.check(item, output).correct() ? "✓" : "✗ (expected " + item.answer() + ")";
    }

    private static String describe(Mixture m) {
        return m.isBase() ? "base model" : "experts " + m.weights();
    }

    private static double accuracy(List<Evaluation.Sample> samples) {
        return samples.stream().filter(s -> s.verdict().correct()).count() / (double) Math.max(1, samples.size());
    }

    /** Temporary directories go when the JVM does. */
    private static Path deletedOnExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: a temp directory left behind is harmless
            }
        }));
        return dir;
    }

    static Path extractShippedModel() throws IOException {
        Path dir = Files.createTempDirectory("t2-tiny-base");
        for (String name : SHIPPED_FILES) {
            try (InputStream in = DemoCommand.class.getResourceAsStream(SHIPPED + name)) {
                if (in == null) throw new IOException("shipped model file " + name + " is missing from the jar");
                Path target = dir.resolve(name);
                Files.createDirectories(target.getParent());
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    private int storiesDemo() throws IOException {
        Path dir = extractEmbeddedModel();
        LoadedModel loaded = ModelLoader.load(dir.resolve("stories260K.bin"));
        System.err.println("stories260K (llama2.c, 260K parameters, embedded): greedy generation from BOS");
        var options = GenerationOptions.greedy(256, loaded.stopTokens());
        long t0 = System.nanoTime();
        var g = new Generator(loaded.model(), loaded.tokenizer()).generate(new int[] {loaded.tokenizer().bosId()}, options,
                (i, text) -> {
                    System.out.print(text);
                    System.out.flush();
                });
        System.out.println();
        System.err.printf("%d tokens in %.2f s%n", g.tokens().length, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    static Path extractEmbeddedModel() throws IOException {
        Path dir = Files.createTempDirectory("t2-stories260K");
        dir.toFile().deleteOnExit();
        for (String name : new String[] {"stories260K.bin", "tok512.bin"}) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("/models/stories260K/" + name)) {
                if (in == null) throw new IOException("embedded model file " + name + " is missing from the jar");
                Path target = dir.resolve(name);
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                target.toFile().deleteOnExit();
            }
        }
        return dir;
    }
}
