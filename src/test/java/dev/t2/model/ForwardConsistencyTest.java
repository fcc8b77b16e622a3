package dev.t2.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2.io.SafetensorsCheckpoint;
import dev.t2.tensor.DType;
import dev.t2.tensor.Floats;
import dev.t2.testing.ReferenceForward;
import dev.t2.testing.SharedFiles;
import dev.t2.testing.TinyModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tiny random-weight models with each real config's architecture, written as safetensors and loaded back,
 * against an independent double-precision reference; cache, chunking and batching must not change logits.
 */
class ForwardConsistencyTest {
    static final int VOCAB = 96;
    static final int[] TOKENS = {1, 17, 42, 5, 88, 3, 60, 61, 9, 33, 70, 2};

    @TempDir
    Path tmp;

    static Stream<Path> configs() {
        Path hf = SharedFiles.shared().resolve("hf");
        return Stream.of(
                hf.resolve("TinyLlama-1.1B-Chat-v1.0/config.json"),
                hf.resolve("_resaved-not-original/Llama-3.2-1B-Instruct/config.json"),
                hf.resolve("_resaved-not-original/Meta-Llama-3-8B-Instruct/config.json"),
                hf.resolve("_resaved-not-original/Qwen2.5-0.5B-Instruct/config.json"),
                hf.resolve("_resaved-not-original/Qwen2.5-1.5B-Instruct_transformers-5.1.0/config.json"),
                Path.of("src/test/resources/configs/Mistral-7B-v0.1-config.json"));
    }

    private ObjectNode tinyConfig(Path real) throws Exception {
        ObjectNode c = TinyModels.shrink(real, VOCAB);
        if (c.path("sliding_window").isNumber()) c.put("sliding_window", 5); // short enough to matter in 12 tokens
        return c;
    }

    @ParameterizedTest
    @MethodSource("configs")
    void f32WeightsMatchTheReferenceAtEveryPosition(Path realConfig) throws Exception {
        ModelConfig c = TinyModels.writeHuggingFace(tmp, tinyConfig(realConfig), DType.F32, 7);
        LlamaModel model = load(c);
        double[][] expected = ReferenceForward.logits(c, TinyModels.randomWeights(c, 7), TOKENS);
        float[] actual = model.forward(List.of(new SequenceChunk(model.newCache(), TOKENS)), LlamaModel.Logits.ALL);
        assertClose(actual, expected, 2e-4);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void bf16AndF16WeightsMatchTheReferenceOnRoundedWeights(Path realConfig) throws Exception {
        for (DType dtype : new DType[] {DType.BF16, DType.F16}) {
            Path dir = tmp.resolve(dtype.name());
            ModelConfig c = TinyModels.writeHuggingFace(dir, tinyConfig(realConfig), dtype, 11);
            LlamaModel model = new LlamaModel(c, LlamaWeights.fromNames(c, SafetensorsCheckpoint.open(dir)::find, dir.toString()));
            Map<String, float[]> rounded = new LinkedHashMap<>();
            TinyModels.randomWeights(c, 11).forEach((k, v) -> {
                float[] r = v.clone();
                for (int i = 0; i < r.length; i++) r[i] = dtype == DType.BF16 ? Floats.roundBf16(r[i]) : Float.float16ToFloat(Float.floatToFloat16(r[i]));
                rounded.put(k, r);
            });
            float[] actual = model.forward(List.of(new SequenceChunk(model.newCache(), TOKENS)), LlamaModel.Logits.ALL);
            assertClose(actual, ReferenceForward.logits(c, rounded, TOKENS), 2e-4);
            // and stay near the unrounded model, relative to the logits' scale: bf16 keeps ~3 significant digits
            double[][] unrounded = ReferenceForward.logits(c, TinyModels.randomWeights(c, 11), TOKENS);
            double scale = java.util.Arrays.stream(unrounded).flatMapToDouble(java.util.Arrays::stream).map(Math::abs).max().orElseThrow();
            assertClose(actual, unrounded, (dtype == DType.BF16 ? 2e-2 : 2e-3) * scale);
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void cacheChunksAndBatchesDoNotChangeLogits(Path realConfig) throws Exception {
        ModelConfig c = TinyModels.writeHuggingFace(tmp, tinyConfig(realConfig), DType.BF16, 3);
        LlamaModel model = load(c);
        float[] whole = model.forward(List.of(new SequenceChunk(model.newCache(), TOKENS)), LlamaModel.Logits.ALL);

        KvCache oneByOne = model.newCache();
        for (int t = 0; t < TOKENS.length; t++) {
            float[] logits = model.forward(oneByOne, TOKENS[t]);
            assertClose(logits, 0, whole, t * VOCAB, VOCAB, 1e-4);
        }
        KvCache chunked = model.newCache();
        model.forward(chunked, java.util.Arrays.copyOfRange(TOKENS, 0, 5));
        float[] rest = model.forward(List.of(new SequenceChunk(chunked, java.util.Arrays.copyOfRange(TOKENS, 5, TOKENS.length))), LlamaModel.Logits.ALL);
        assertClose(rest, 0, whole, 5 * VOCAB, rest.length, 1e-4);

        // three sequences of different lengths in one call, one of them continuing from a cache
        KvCache a = model.newCache(), b = model.newCache(), cc = model.newCache();
        model.forward(cc, TOKENS[0], TOKENS[1]);
        List<SequenceChunk> batch = new ArrayList<>(List.of(
                new SequenceChunk(a, java.util.Arrays.copyOfRange(TOKENS, 0, 7)),
                new SequenceChunk(b, java.util.Arrays.copyOfRange(TOKENS, 0, 3)),
                new SequenceChunk(cc, java.util.Arrays.copyOfRange(TOKENS, 2, 12))));
        float[] last = model.forward(batch, LlamaModel.Logits.LAST_PER_CHUNK);
        assertClose(last, 0, whole, 6 * VOCAB, VOCAB, 1e-4);
        assertClose(last, VOCAB, whole, 2 * VOCAB, VOCAB, 1e-4);
        assertClose(last, 2 * VOCAB, whole, 11 * VOCAB, VOCAB, 1e-4);
    }

    private LlamaModel load(ModelConfig c) {
        return new LlamaModel(c, LlamaWeights.fromNames(c, SafetensorsCheckpoint.open(tmp)::find, tmp.toString()));
    }

    static void assertClose(float[] actual, double[][] expected, double tol) {
        int vocab = expected[0].length;
        assertThat(actual).hasSize(expected.length * vocab);
        double worst = 0;
        for (int t = 0; t < expected.length; t++) {
            for (int v = 0; v < vocab; v++) worst = Math.max(worst, Math.abs(actual[t * vocab + v] - expected[t][v]));
        }
        assertThat(worst).as("max |logit difference|").isLessThan(tol);
    }

    static void assertClose(float[] a, int ao, float[] b, int bo, int n, double tol) {
        double worst = 0;
        for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a[ao + i] - b[bo + i]));
        assertThat(worst).as("max |logit difference|").isLessThan(tol);
    }
}
