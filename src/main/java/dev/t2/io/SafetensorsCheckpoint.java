package dev.t2.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}. Tensors are looked up by name across shards.
 */
public final class SafetensorsCheckpoint {
    private final Map<String, SafetensorsFile> fileByTensor;
    private final String description;

    private SafetensorsCheckpoint(Map<String, SafetensorsFile> fileByTensor, String description) {
        this.fileByTensor = fileByTensor;
        this.description = description;
    }

    public static boolean existsIn(Path dir) {
        return Files.isRegularFile(dir.resolve("model.safetensors")) || Files.isRegularFile(dir.resolve("model.safetensors.index.json"));
    }

    public static SafetensorsCheckpoint open(Path dir) {
        Path single = dir.resolve("model.safetensors");
        Path index = dir.resolve("model.safetensors.index.json");
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        if (Files.isRegularFile(index)) {
            JsonNode map;
            try {
                map = new ObjectMapper().readTree(Files.readString(index)).get("weight_map");
            } catch (IOException e) {
                throw new CheckpointException(index + ": cannot read index: " + e.getMessage(), e);
            }
            if (map == null || !map.isObject()) throw new CheckpointException(index + ": no 'weight_map' object");
            Map<String, SafetensorsFile> shards = new HashMap<>();
            for (var it = map.fields(); it.hasNext(); ) {
                var e = it.next();
                String shardName = e.getValue().asText();
                if (shardName.contains("/") || shardName.contains("\\")) throw new CheckpointException(index + ": shard name '" + shardName + "' must be a plain file name");
                SafetensorsFile shard = shards.computeIfAbsent(shardName, s -> {
                    Path p = dir.resolve(s);
                    if (!Files.isRegularFile(p)) throw new CheckpointException(index + ": shard '" + s + "' (for tensor '" + e.getKey() + "') is missing");
                    return SafetensorsFile.open(p);
                });
                if (!shard.contains(e.getKey())) throw new CheckpointException(shard.path() + ": tensor '" + e.getKey() + "' listed in the index is not in the shard");
                byTensor.put(e.getKey(), shard);
            }
            return new SafetensorsCheckpoint(byTensor, index.toString());
        }
        if (!Files.isRegularFile(single)) throw new CheckpointException(dir + ": no model.safetensors or model.safetensors.index.json");
        SafetensorsFile file = SafetensorsFile.open(single);
        for (String name : file.names()) byTensor.put(name, file);
        return new SafetensorsCheckpoint(byTensor, single.toString());
    }

    /** The tensor or null when the checkpoint has no tensor of that name. */
    public Tensor find(String name) {
        SafetensorsFile f = fileByTensor.get(name);
        return f == null ? null : f.tensor(name);
    }

    public java.util.Set<String> names() {
        return fileByTensor.keySet();
    }

    public String description() {
        return description;
    }
}
