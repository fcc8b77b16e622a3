package dev.t2.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheRealConfigsOfEachFamily() {
        ModelConfig llama32 = ModelConfig.readHuggingFace(SharedFiles.hf("_resaved-not-original/Llama-3.2-1B-Instruct/config.json"));
        assertThat(llama32.headDim()).isEqualTo(64);
        assertThat(llama32.groupSize()).isEqualTo(4);
        assertThat(llama32.tieWordEmbeddings()).isTrue();
        assertThat(llama32.ropeScaling().type()).isEqualTo("llama3");
        assertThat(llama32.eosTokenIds()).containsExactly(128001, 128008, 128009);

        ModelConfig qwen = ModelConfig.readHuggingFace(SharedFiles.hf("_resaved-not-original/Qwen2.5-0.5B-Instruct/config.json"));
        assertThat(qwen.attentionBias()).isTrue();
        assertThat(qwen.slidingWindow()).as("use_sliding_window is false").isZero();
        assertThat(qwen.ropeTheta()).isEqualTo(1_000_000.0);

        ModelConfig qwen5 = ModelConfig.readHuggingFace(SharedFiles.hf("_resaved-not-original/Qwen2.5-1.5B-Instruct_transformers-5.1.0/config.json"));
        assertThat(qwen5.ropeTheta()).as("transformers 5 rope_parameters").isEqualTo(1_000_000.0);

        ModelConfig tiny = ModelConfig.readHuggingFace(SharedFiles.hf("TinyLlama-1.1B-Chat-v1.0/config.json"));
        assertThat(tiny.tieWordEmbeddings()).isFalse();
        assertThat(tiny.numKvHeads()).isEqualTo(4);
    }

    @Test
    void writtenConfigReadsBackEqual() throws Exception {
        for (String name : new String[] {"_resaved-not-original/Llama-3.2-1B-Instruct", "_resaved-not-original/Qwen2.5-0.5B-Instruct", "TinyLlama-1.1B-Chat-v1.0"}) {
            ModelConfig c = ModelConfig.readHuggingFace(SharedFiles.hf(name).resolve("config.json"));
            Path out = tmp.resolve(name.replace('/', '_') + ".json");
            Files.writeString(out, c.toHuggingFaceJson("bfloat16").toPrettyString());
            assertThat(ModelConfig.readHuggingFace(out)).isEqualTo(c);
        }
    }

    @Test
    void llama3ScalingKeepsHighFrequenciesAndDividesLowOnes() {
        RopeScaling s = new RopeScaling("llama3", 8, 1, 4, 8192);
        float[] scaled = s.inverseFrequencies(128, 500000);
        float[] plain = RopeScaling.NONE.inverseFrequencies(128, 500000);
        assertThat(scaled[0]).isEqualTo(plain[0]); // wavelength 2π < 8192/4
        assertThat(scaled[63]).isEqualTo(plain[63] / 8); // wavelength far above 8192
        for (int i = 0; i < 64; i++) assertThat(scaled[i]).isBetween(plain[i] / 8 - 1e-12f, plain[i]);
    }

    @Test
    void unsupportedOrBrokenConfigsNameTheProblem() throws Exception {
        var mapper = new ObjectMapper();
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(Files.readString(SharedFiles.hf("TinyLlama-1.1B-Chat-v1.0/config.json")));
        json.putArray("architectures").add("GPTNeoXForCausalLM");
        Path f = tmp.resolve("config.json");
        Files.writeString(f, json.toString());
        assertThatThrownBy(() -> ModelConfig.readHuggingFace(f)).hasMessageContaining("GPTNeoXForCausalLM").hasMessageContaining(f.toString());
        json.putArray("architectures").add("LlamaForCausalLM");
        json.remove("hidden_size");
        Files.writeString(f, json.toString());
        assertThatThrownBy(() -> ModelConfig.readHuggingFace(f)).hasMessageContaining("hidden_size");
        json.put("hidden_size", 2048);
        json.put("num_key_value_heads", 5);
        Files.writeString(f, json.toString());
        assertThatThrownBy(() -> ModelConfig.readHuggingFace(f)).hasMessageContaining("num_key_value_heads");
        json.put("num_key_value_heads", 4);
        json.putObject("rope_scaling").put("rope_type", "yarn").put("factor", 4.0);
        Files.writeString(f, json.toString());
        assertThatThrownBy(() -> ModelConfig.readHuggingFace(f)).hasMessageContaining("yarn");
        Files.writeString(f, "{\"hidden_size\": ");
        assertThatThrownBy(() -> ModelConfig.readHuggingFace(f)).hasMessageContaining(f.toString());
    }
}
