package dev.t2.io;

import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.tokenizer.ChatTemplate;
import dev.t2.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Set;

/**
 * A model ready to run: config, weights (memory-mapped in their dtype), tokenizer, the chat template when the
 * model has one (null otherwise), the token ids that end a generation, and where it came from.
 */
public record LoadedModel(Path source, String format, ModelConfig config, LlamaWeights weights, Tokenizer tokenizer,
                          ChatTemplate chatTemplate, Set<Integer> stopTokens) {

    public LlamaModel model() {
        return new LlamaModel(config, weights);
    }
}
