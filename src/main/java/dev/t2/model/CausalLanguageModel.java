package dev.t2.model;

import java.util.List;

/** What decoding needs of a model: its config, fresh caches, and next-token logits for chunks of new tokens. */
public interface CausalLanguageModel {
    ModelConfig config();

    KvCache newCache();

    /** Appends each chunk's tokens to its cache and returns logits as {@link LlamaModel#forward(List, LlamaModel.Logits)} does. */
    float[] forward(List<SequenceChunk> chunks, LlamaModel.Logits which);
}
