package dev.t2.cli;

import dev.t2.io.LoadedModel;
import dev.t2.io.ModelLoader;
import dev.t2.model.LlamaModel;
import dev.t2.svf.AdaptedWeights;
import dev.t2.svf.ExpertFile;
import dev.t2.svf.LoraAdapter;
import dev.t2.svf.SvdCache;
import dev.t2.svf.SvfExpert;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** A model, optionally adapted by an SVF expert: the flags every command that runs a model shares. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, required = true, description = "model directory (HF), llama2.c .bin or .gguf")
    Path model;

    @Option(names = "--expert", description = "SVF expert file to apply")
    Path expert;

    @Option(names = "--lora", description = "LoRA adapter file (from t2 train --method lora) to merge into the model")
    Path lora;

    @Option(names = "--transfer", description = "apply an expert trained on another model of the same shapes (warns)")
    boolean transfer;

    @Option(names = "--cache-dir", description = "SVD cache root (default: <model dir>/.t2-cache)")
    Path cacheDir;

    LoadedModel load() {
        return ModelLoader.load(model);
    }

    /** The inference model: the base, the base with the expert's W' built from the (cached) SVD, or with a LoRA adapter merged. */
    LlamaModel adapted(LoadedModel loaded) {
        if (expert != null && lora != null) throw new IllegalArgumentException("give either --expert or --lora, not both");
        if (lora != null) {
            LoraAdapter adapter = LoraAdapter.read(lora);
            System.err.printf("LoRA adapter %s: %,d parameters, rank %d, task %s%n", lora, adapter.parameterCount(), adapter.rank(),
                    adapter.info().getOrDefault("task", "?"));
            return new LlamaModel(loaded.config(), adapter.applyTo(loaded.weights()));
        }
        if (expert == null) return loaded.model();
        SvfExpert e = ExpertFile.read(expert);
        AdaptedWeights.check(e, loaded.config(), loaded.weights(), transfer, System.err);
        var svds = SvdCache.loadOrCompute(loaded.weights(), List.copyOf(e.scales().keySet()), SvdCommand.cacheRoot(loaded, cacheDir));
        System.err.printf("expert %s: %,d parameters, task %s%n", expert, e.parameterCount(), e.info().getOrDefault("task", "?"));
        return new LlamaModel(loaded.config(), AdaptedWeights.apply(loaded.weights(), svds, e.scales()));
    }
}
