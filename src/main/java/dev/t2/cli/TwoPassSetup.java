package dev.t2.cli;

import dev.t2.adapt.AdaptedModels;
import dev.t2.adapt.ExpertLibrary;
import dev.t2.adapt.Mixture;
import dev.t2.adapt.PromptDispatcher;
import dev.t2.io.LoadedModel;
import dev.t2.model.LlamaModel;
import dev.t2.svf.AdaptedWeights;
import dev.t2.svf.ExpertFile;
import dev.t2.svf.SvdCache;
import dev.t2.svf.SvfExpert;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Two-pass adaptation for the commands: pass 1 chooses the experts (and says why), pass 2 gets their weights. */
final class TwoPassSetup {
    private final PromptDispatcher dispatcher;
    private final AdaptedModels models;
    /** fewshot:TASK searches one mixture up front; every prompt then uses it. */
    private final LlamaModel fewShotModel;
    private final Mixture fewShotChoice;

    /** @param transfer accept experts trained on another model of the same shapes (with a warning) */
    TwoPassSetup(LoadedModel loaded, TwoPassOptions options, Path cacheDir, boolean transfer) {
        Path experts = options.experts, classifierExpert = options.classifierExpert;
        String strategy = options.strategy;
        var cem = options.cem(42);
        if (experts == null) throw new IllegalArgumentException("--strategy " + strategy + " needs --experts DIR");
        ExpertLibrary library = ExpertLibrary.load(experts);
        Set<String> projections = new LinkedHashSet<>();
        for (ExpertLibrary.Entry e : library.entries()) {
            AdaptedWeights.check(e.expert(), loaded.config(), loaded.weights(), transfer, System.err);
            projections.addAll(e.expert().scales().keySet());
        }
        SvfExpert classifier = null;
        if (strategy.startsWith("fewshot:")) {
            var svds = SvdCache.loadOrCompute(loaded.weights(), new ArrayList<>(projections), SvdCommand.cacheRoot(loaded, cacheDir));
            var task = EvalCommand.resolveTask(strategy.substring("fewshot:".length()), Path.of("../shared/data"));
            var shots = new ArrayList<dev.t2.tasks.TaskItem>();
            for (var split : dev.t2.tasks.Split.values()) shots.addAll(task.items(split));
            var search = new dev.t2.adapt.FewShotSearch(loaded.config(), loaded.weights(), svds,
                    library.entries().stream().map(ExpertLibrary.Entry::expert).toList());
            try {
                var found = search.search(task, shots, new dev.t2.tasks.PromptFormat(loaded.tokenizer(), loaded.chatTemplate()),
                        loaded.stopTokens(), task.maxNewTokens(), cem, null);
                this.fewShotModel = new LlamaModel(loaded.config(), AdaptedWeights.apply(loaded.weights(), svds, found.scales()));
                this.fewShotChoice = new Mixture(java.util.Map.of(), "few-shot CEM on " + shots.size() + " shots of " + task.name()
                        + ": shot accuracy " + found.score().primary());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            this.dispatcher = null;
            this.models = null;
            return;
        }
        this.fewShotModel = null;
        this.fewShotChoice = null;
        if (strategy.equals("classifier")) {
            if (classifierExpert == null) throw new IllegalArgumentException("--strategy classifier needs --classifier-expert FILE");
            classifier = ExpertFile.read(classifierExpert);
            AdaptedWeights.check(classifier, loaded.config(), loaded.weights(), transfer, System.err);
            projections.addAll(classifier.scales().keySet());
        } else if (!strategy.equals("prompt")) {
            throw new IllegalArgumentException("--strategy must be none, prompt, classifier or fewshot:TASK (a task name or .jsonl), not '" + strategy + "'");
        }
        var svds = SvdCache.loadOrCompute(loaded.weights(), new ArrayList<>(projections), SvdCommand.cacheRoot(loaded, cacheDir));
        LlamaModel pass1Model = classifier == null ? loaded.model()
                : new LlamaModel(loaded.config(), AdaptedWeights.apply(loaded.weights(), svds, classifier.scales()));
        this.dispatcher = new PromptDispatcher(pass1Model, loaded.tokenizer(), loaded.chatTemplate(), loaded.stopTokens(), library, 1024);
        this.models = new AdaptedModels(loaded.config(), loaded.weights(), svds, library);
    }

    Mixture choose(String question) {
        return fewShotChoice != null ? fewShotChoice : dispatcher.choose(question);
    }

    /** Pass 1 for many questions, classified {@code batch} at a time. */
    List<Mixture> chooseAll(List<String> questions, int batch) {
        return fewShotChoice != null ? java.util.Collections.nCopies(questions.size(), fewShotChoice) : dispatcher.chooseAll(questions, batch);
    }

    LlamaModel model(Mixture mixture) {
        return fewShotModel != null ? fewShotModel : models.model(mixture);
    }

    /** Pass 1 for one prompt, reported on stderr, then pass 2's model. */
    static LlamaModel passTwoModel(LoadedModel loaded, TwoPassOptions options, Path cacheDir, boolean transfer, String question) {
        String strategy = options.strategy;
        long t0 = System.nanoTime(); // includes the few-shot search, which runs while setting up
        TwoPassSetup setup = new TwoPassSetup(loaded, options, cacheDir, transfer);
        if (!strategy.startsWith("fewshot:")) t0 = System.nanoTime();
        Mixture mixture = setup.choose(question);
        System.err.printf("pass 1 (%s, %.2f s): %s → %s%n", strategy, (System.nanoTime() - t0) / 1e9, mixture.reason(),
                setup.fewShotModel != null ? "the searched mixture" : mixture.isBase() ? "base model" : "experts " + mixture.weights());
        return setup.model(mixture);
    }
}
