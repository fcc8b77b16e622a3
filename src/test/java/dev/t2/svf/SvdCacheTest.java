package dev.t2.svf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.RandomWeights;
import dev.t2.model.RopeScaling;
import dev.t2.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SvdCacheTest {
    static final ModelConfig C = new ModelConfig("LlamaForCausalLM", 24, 40, 2, 4, 2, 6, 32, 64, 1e-5f, 10000, RopeScaling.NONE,
            false, true, false, 0, 1, List.of(2));

    @TempDir
    Path root;

    @Test
    void factorsAreCachedReusedAndKeyedByTheWeights() throws Exception {
        LlamaWeights w = RandomWeights.create(C, DType.BF16, 1, 0.1);
        List<String> names = SvfTargets.MLP.names(C.numLayers());
        Map<String, Svd> first = SvdCache.loadOrCompute(w, names, root);
        assertThat(first).hasSize(6);
        Path dir = SvdCache.directory(root, w, names);
        Path oneFile = dir.resolve("model.layers.1.mlp.down_proj.safetensors");
        long stamp = Files.getLastModifiedTime(oneFile).toMillis();
        Files.delete(dir.resolve("model.layers.0.mlp.up_proj.safetensors")); // as if interrupted before it
        Thread.sleep(20);
        Map<String, Svd> second = SvdCache.loadOrCompute(w, names, root);
        assertThat(Files.getLastModifiedTime(oneFile).toMillis()).as("reused, not recomputed").isEqualTo(stamp);
        assertThat(Files.exists(dir.resolve("model.layers.0.mlp.up_proj.safetensors"))).isTrue();
        for (String n : names) assertThat(second.get(n).sigma()).containsExactly(first.get(n).sigma());
        assertThat(SvdCache.fingerprint(RandomWeights.create(C, DType.BF16, 2, 0.1), names)).isNotEqualTo(SvdCache.fingerprint(w, names));
        for (var e : second.entrySet()) {
            assertThat(e.getValue().reconstructionError(w.byName().get(e.getKey() + ".weight"))).isLessThan(1e-5);
        }
    }
}
