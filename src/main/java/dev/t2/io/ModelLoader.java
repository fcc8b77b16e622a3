package dev.t2.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.tokenizer.Llama2cTokenizer;
import dev.t2.tokenizer.Tokenizer;
import dev.t2.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Opens a model from a path, whatever its format: a Hugging Face directory (config.json + safetensors +
 * tokenizer.json), a llama2.c {@code .bin} (file or directory, with its tokenizer .bin beside it), or GGUF.
 */
public final class ModelLoader {
    private ModelLoader() {}

    public static LoadedModel load(Path path) {
        if (!Files.exists(path)) throw new CheckpointException(path + ": no such file or directory");
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve("config.json"))) return loadHuggingFace(path);
            Path gguf = single(path, ".gguf");
            if (gguf != null) return GgufLoader.load(gguf);
            Path bin = llama2cModelIn(path);
            if (bin != null) return loadLlama2c(bin);
            throw new CheckpointException(path + ": not a model directory (no config.json, .gguf or llama2.c .bin found)");
        }
        String name = path.getFileName().toString();
        if (name.endsWith(".gguf")) return GgufLoader.load(path);
        if (name.endsWith(".bin")) return loadLlama2c(path);
        if (name.endsWith(".safetensors") || name.equals("config.json")) return loadHuggingFace(path.getParent());
        throw new CheckpointException(path + ": unknown model format (expected a directory, .gguf, .safetensors or llama2.c .bin)");
    }

    static LoadedModel loadHuggingFace(Path dir) {
        ModelConfig config;
        try {
            config = ModelConfig.readHuggingFace(dir.resolve("config.json"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);
        LlamaWeights weights;
        try {
            weights = LlamaWeights.fromNames(config, checkpoint::find, checkpoint.description());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        Tokenizer tokenizer = Tokenizers.forHuggingFaceDirectory(dir);
        Set<Integer> stops = new LinkedHashSet<>(config.eosTokenIds());
        Path genConfig = dir.resolve("generation_config.json");
        if (Files.isRegularFile(genConfig)) {
            try {
                stops.addAll(idsOf(new ObjectMapper().readTree(Files.readString(genConfig)).path("eos_token_id")));
            } catch (IOException e) {
                throw new CheckpointException(genConfig + ": cannot read: " + e.getMessage(), e);
            }
        }
        if (tokenizer.eosId() >= 0) stops.add(tokenizer.eosId());
        return new LoadedModel(dir, "safetensors", config, weights, tokenizer, Tokenizers.chatTemplate(dir), stops);
    }

    private static List<Integer> idsOf(com.fasterxml.jackson.databind.JsonNode node) {
        List<Integer> out = new java.util.ArrayList<>();
        if (node.isNumber()) out.add(node.asInt());
        else if (node.isArray()) node.forEach(n -> out.add(n.asInt()));
        return out;
    }

    static LoadedModel loadLlama2c(Path bin) {
        Llama2cCheckpoint.Loaded loaded = Llama2cCheckpoint.read(bin);
        Path tokFile = Tokenizers.llama2cTokenizerIn(bin.toAbsolutePath().getParent());
        if (tokFile == null) throw new CheckpointException(bin + ": no llama2.c tokenizer (tokenizer.bin or tok*.bin) beside the model");
        Tokenizer tokenizer = Llama2cTokenizer.read(tokFile, loaded.config().vocabSize());
        return new LoadedModel(bin, "llama2.c", loaded.config(), loaded.weights(), tokenizer, null,
                Set.copyOf(loaded.config().eosTokenIds()));
    }

    private static Path llama2cModelIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> bins = files.filter(p -> p.toString().endsWith(".bin") && !Tokenizers.isLlama2cTokenizerName(p)).toList();
            return bins.size() == 1 ? bins.getFirst() : null;
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static Path single(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.toString().endsWith(suffix)).toList();
            if (found.size() > 1) throw new CheckpointException(dir + ": several " + suffix + " files; name one");
            return found.isEmpty() ? null : found.getFirst();
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }
}
