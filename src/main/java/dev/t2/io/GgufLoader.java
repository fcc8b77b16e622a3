package dev.t2.io;

import java.nio.file.Path;

/** Loads a GGUF file as a model (architecture, weights and embedded tokenizer). */
final class GgufLoader {
    private GgufLoader() {}

    static LoadedModel load(Path file) {
        throw new CheckpointException(file + ": GGUF loading is not available yet");
    }
}
