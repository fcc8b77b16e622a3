package dev.t2.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the tokenizer and chat format of a model directory or tokenizer file. */
public final class Tokenizers {
    private Tokenizers() {}

    /** A tokenizer.json, a directory holding one, or a llama2.c tokenizer .bin. */
    public static Tokenizer load(Path path) {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve("tokenizer.json"))) return forHuggingFaceDirectory(path);
            Path l2c = llama2cTokenizerIn(path);
            if (l2c != null) return Llama2cTokenizer.read(l2c, -1);
            throw new TokenizerException(path + ": no tokenizer.json or llama2.c tokenizer .bin in this directory");
        }
        if (!Files.isRegularFile(path)) throw new TokenizerException(path + ": no such file");
        String name = path.getFileName().toString();
        if (name.endsWith(".json")) return forHuggingFaceDirectory(path.toAbsolutePath().getParent());
        if (name.endsWith(".bin")) {
            Path tok = isLlama2cTokenizerName(path) ? path : llama2cTokenizerIn(path.toAbsolutePath().getParent());
            if (tok == null) throw new TokenizerException(path + ": a llama2.c model without a tokenizer .bin beside it");
            return Llama2cTokenizer.read(tok, -1);
        }
        throw new TokenizerException(path + ": unknown tokenizer format (expected tokenizer.json, a model directory or a llama2.c .bin)");
    }

    /** llama2.c names its tokenizers tokenizer.bin or tok<N>.bin. */
    public static boolean isLlama2cTokenizerName(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".bin") && (n.startsWith("tok") || n.equals("tokenizer.bin"));
    }

    /** The llama2.c tokenizer in a directory, or null. */
    public static Path llama2cTokenizerIn(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(Tokenizers::isLlama2cTokenizerName).sorted().findFirst().orElse(null);
        } catch (java.io.IOException e) {
            throw new TokenizerException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    public static Tokenizer forHuggingFaceDirectory(Path dir) {
        return HfTokenizer.load(dir.resolve("tokenizer.json"));
    }

    /** The chat template of a model directory, or null for a base model without one. */
    public static ChatTemplate chatTemplate(Path dir) {
        return ChatTemplate.find(dir);
    }
}
