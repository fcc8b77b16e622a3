package dev.t2.adapt;

import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.svf.AdaptedWeights;
import dev.t2.svf.Svd;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pass 2's weights: the base model with a mixture of the library's experts applied (W' from the cached SVD).
 * Each request gets its own weights object and the base is never modified, so requests with different
 * experts can run at the same time; the last few mixtures are kept so repeated ones are not rebuilt.
 */
public final class AdaptedModels {
    private final ModelConfig config;
    private final LlamaWeights base;
    private final Map<String, Svd> svds;
    private final ExpertLibrary library;
    private final Map<Map<String, Double>, LlamaModel> recent = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Map<String, Double>, LlamaModel> eldest) {
            return size() > 3;
        }
    };

    public AdaptedModels(ModelConfig config, LlamaWeights base, Map<String, Svd> svds, ExpertLibrary library) {
        this.config = config;
        this.base = base;
        this.svds = svds;
        this.library = library;
    }

    public synchronized LlamaModel model(Mixture mixture) {
        if (mixture.isBase()) return recent.computeIfAbsent(Map.of(), k -> new LlamaModel(config, base));
        return recent.computeIfAbsent(mixture.weights(), w -> new LlamaModel(config, AdaptedWeights.apply(base, svds, library.mix(w))));
    }
}
