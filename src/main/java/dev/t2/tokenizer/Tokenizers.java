package dev.t2.tokenizer;

import java.nio.file.Path;

/** Finds the tokenizer and chat format of a model directory. */
public final class Tokenizers {
    private Tokenizers() {}

    public static Tokenizer forHuggingFaceDirectory(Path dir) {
        throw new TokenizerException(dir + ": tokenizer.json support is not available yet");
    }

    public static ChatFormat chatFormat(Path dir, Tokenizer tokenizer) {
        return null;
    }
}
