package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint split into shards by model.safetensors.index.json: each tensor comes from the shard the index names. */
class ShardedSafetensorsTest {
    static final String SHARD_1 = "model-00001-of-00002.safetensors";
    static final String SHARD_2 = "model-00002-of-00002.safetensors";

    @TempDir
    Path dir;

    @Test
    void everyTensorLoadsFromTheShardTheIndexNames() throws Exception {
        Random rnd = new Random(7);
        Map<String, Tensor> first = new LinkedHashMap<>(), second = new LinkedHashMap<>();
        first.put("model.embed_tokens.weight", RawSafetensors.randomBits("model.embed_tokens.weight", DType.BF16, rnd, 6, 4));
        first.put("model.layers.0.input_layernorm.weight", RawSafetensors.randomBits("model.layers.0.input_layernorm.weight", DType.F32, rnd, 4));
        // a stale copy of a tensor the index places in the other shard: the index, not the file order, decides
        first.put("model.norm.weight", RawSafetensors.randomBits("model.norm.weight", DType.F32, rnd, 4));
        second.put("model.norm.weight", RawSafetensors.randomBits("model.norm.weight", DType.F32, rnd, 4));
        second.put("lm_head.weight", RawSafetensors.randomBits("lm_head.weight", DType.F16, rnd, 6, 4));
        second.put("scale", RawSafetensors.randomBits("scale", DType.F32, rnd));
        SafetensorsWriter.write(dir.resolve(SHARD_1), first, Map.of("format", "pt"));
        SafetensorsWriter.write(dir.resolve(SHARD_2), second, Map.of("format", "pt"));
        Map<String, String> weightMap = new LinkedHashMap<>();
        weightMap.put("model.embed_tokens.weight", SHARD_1);
        weightMap.put("model.layers.0.input_layernorm.weight", SHARD_1);
        weightMap.put("model.norm.weight", SHARD_2);
        weightMap.put("lm_head.weight", SHARD_2);
        weightMap.put("scale", SHARD_2);
        writeIndex(weightMap);

        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);

        assertThat(checkpoint.names()).containsExactlyInAnyOrderElementsOf(weightMap.keySet());
        assertThat(checkpoint.description()).contains("model.safetensors.index.json");
        weightMap.forEach((name, shard) -> {
            Tensor expected = (shard.equals(SHARD_1) ? first : second).get(name);
            Tensor actual = checkpoint.find(name);
            assertThat(actual.dtype()).as(name).isEqualTo(expected.dtype());
            assertThat(actual.shape()).as(name).containsExactly(expected.shape());
            assertThat(RawSafetensors.bytesOf(actual)).as(name + " from " + shard).isEqualTo(RawSafetensors.bytesOf(expected));
        });
        assertThat(checkpoint.find("not.in.the.index")).isNull();
    }

    @Test
    void theIndexIsPreferredOverASingleFileAndAStrayFileIsIgnored() throws Exception {
        Random rnd = new Random(8);
        Tensor sharded = RawSafetensors.randomBits("w", DType.F32, rnd, 3);
        SafetensorsWriter.write(dir.resolve(SHARD_1), Map.of("w", sharded), Map.of());
        SafetensorsWriter.write(dir.resolve("model.safetensors"), Map.of("w", RawSafetensors.randomBits("w", DType.F32, rnd, 3)), Map.of());
        writeIndex(Map.of("w", SHARD_1));

        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);

        assertThat(RawSafetensors.bytesOf(checkpoint.find("w"))).isEqualTo(RawSafetensors.bytesOf(sharded));
    }

    private void writeIndex(Map<String, String> weightMap) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode index = json.createObjectNode();
        index.putObject("metadata").put("total_size", 1234);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.toPrettyString());
    }
}
