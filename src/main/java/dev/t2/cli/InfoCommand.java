package dev.t2.cli;

import dev.t2.io.LoadedModel;
import dev.t2.io.ModelLoader;
import dev.t2.model.ModelConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code t2 info}: what a checkpoint is, how big, and how it is stored. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a model's architecture, parameters, dtypes and memory.")
final class InfoCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, description = "model directory (HF), llama2.c .bin or .gguf")
    Path model;

    @Override
    public Integer call() {
        LoadedModel loaded = ModelLoader.load(model);
        ModelConfig c = loaded.config();
        var m = loaded.model();
        System.out.println("source:        " + loaded.source() + " (" + loaded.format() + ")");
        System.out.println("model:         " + m.describe());
        System.out.printf("shape:         %d layers, hidden %d, MLP %d, %d heads (%d KV heads, head dim %d), vocab %d%n",
                c.numLayers(), c.hiddenSize(), c.intermediateSize(), c.numHeads(), c.numKvHeads(), c.headDim(), c.vocabSize());
        System.out.printf("positions:     %d, RoPE θ %.0f, scaling %s, %s pairs%n", c.maxPositions(), c.ropeTheta(),
                c.ropeScaling().type(), c.ropeInterleaved() ? "interleaved" : "rotate-half");
        System.out.println("embeddings:    " + (c.tieWordEmbeddings() ? "tied" : "separate LM head")
                + (c.attentionBias() ? ", q/k/v bias" : "") + (c.slidingWindow() > 0 ? ", sliding window " + c.slidingWindow() : ""));
        System.out.printf("KV cache:      %.1f KiB per token (f32)%n", 2.0 * c.numLayers() * c.kvDim() * 4 / 1024);
        System.out.println("tokenizer:     " + loaded.tokenizer().vocabSize() + " tokens, stop ids " + loaded.stopTokens());
        System.out.println("chat template: " + (loaded.chatTemplate() != null ? loaded.chatTemplate().source() : "none"));
        return 0;
    }
}
