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
import java.util.Set;

/** Two-pass adaptation for the commands: pass 1 chooses the experts (and says why), pass 2 gets their weights. */
final class TwoPassSetup {
    private final PromptDispatcher dispatcher;
    private final AdaptedModels models;

    TwoPassSetup(LoadedModel loaded, Path experts, String strategy, Path classifierExpert, Path cacheDir) {
        if (experts == null) throw new IllegalArgumentException("--strategy " + strategy + " needs --experts DIR");
        ExpertLibrary library = ExpertLibrary.load(experts);
        Set<String> projections = new LinkedHashSet<>();
        for (ExpertLibrary.Entry e : library.entries()) {
            AdaptedWeights.check(e.expert(), loaded.config(), loaded.weights(), false, System.err);
            projections.addAll(e.expert().scales().keySet());
        }
        SvfExpert classifier = null;
        if (strategy.equals("classifier")) {
            if (classifierExpert == null) throw new IllegalArgumentException("--strategy classifier needs --classifier-expert FILE");
            classifier = ExpertFile.read(classifierExpert);
            AdaptedWeights.check(classifier, loaded.config(), loaded.weights(), false, System.err);
            projections.addAll(classifier.scales().keySet());
        } else if (!strategy.equals("prompt")) {
            throw new IllegalArgumentException("--strategy must be none, prompt or classifier (few-shot CEM is not available yet), not '" + strategy + "'");
        }
        var svds = SvdCache.loadOrCompute(loaded.weights(), new ArrayList<>(projections), SvdCommand.cacheRoot(loaded, cacheDir));
        LlamaModel pass1Model = classifier == null ? loaded.model()
                : new LlamaModel(loaded.config(), AdaptedWeights.apply(loaded.weights(), svds, classifier.scales()));
        this.dispatcher = new PromptDispatcher(pass1Model, loaded.tokenizer(), loaded.chatTemplate(), loaded.stopTokens(), library, 1024);
        this.models = new AdaptedModels(loaded.config(), loaded.weights(), svds, library);
    }

    Mixture choose(String question) {
        return dispatcher.choose(question);
    }

    LlamaModel model(Mixture mixture) {
        return models.model(mixture);
    }

    /** Pass 1 for one prompt, reported on stderr, then pass 2's model. */
    static LlamaModel passTwoModel(LoadedModel loaded, Path experts, String strategy, Path classifierExpert, Path cacheDir, String question) {
        TwoPassSetup setup = new TwoPassSetup(loaded, experts, strategy, classifierExpert, cacheDir);
        long t0 = System.nanoTime();
        Mixture mixture = setup.choose(question);
        System.err.printf("pass 1 (%s, %.2f s): %s → %s%n", strategy, (System.nanoTime() - t0) / 1e9, mixture.reason(),
                mixture.isBase() ? "base model" : "experts " + mixture.weights());
        return setup.model(mixture);
    }
}
