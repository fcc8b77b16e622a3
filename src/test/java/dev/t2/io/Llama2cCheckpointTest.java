package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.tensor.Tensor;
import dev.t2.testing.SharedFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * llama2.c checkpoints: stories260K (legacy layout) has its documented shape, and the same weights written in
 * the version 1 layout, or with a separate classifier, read back tensor for tensor.
 */
class Llama2cCheckpointTest {
    static byte[] stories;
    static Llama2cFiles.Legacy legacy;

    @TempDir
    Path tmp;

    @BeforeAll
    static void readStories() throws Exception {
        stories = Files.readAllBytes(SharedFiles.shared().resolve("models/stories260K/stories260K.bin"));
        legacy = Llama2cFiles.parseLegacy(stories);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(tmp.resolve(name), bytes);
    }

    @Test
    void stories260KHasItsDocumentedShape() {
        var loaded = Llama2cCheckpoint.read(SharedFiles.shared().resolve("models/stories260K/stories260K.bin"));
        ModelConfig c = loaded.config();
        assertThat(c.hiddenSize()).isEqualTo(64);
        assertThat(c.intermediateSize()).isEqualTo(172);
        assertThat(c.numLayers()).isEqualTo(5);
        assertThat(c.numHeads()).isEqualTo(8);
        assertThat(c.numKvHeads()).isEqualTo(4);
        assertThat(c.headDim()).isEqualTo(8);
        assertThat(c.vocabSize()).isEqualTo(512);
        assertThat(c.maxPositions()).isEqualTo(512);
        assertThat(c.ropeInterleaved()).isTrue();
        assertThat(c.tieWordEmbeddings()).isTrue();
        LlamaWeights w = loaded.weights();
        assertThat(w.lmHead()).isSameAs(w.embedding());
        assertThat(w.byName()).hasSize(1 + 5 * 9 + 1).doesNotContainKey("lm_head.weight");
        assertThat(w.embedding().shape()).containsExactly(512, 64);
        assertThat(w.layers().getFirst().keyProj().shape()).containsExactly(32, 64);
        assertThat(w.layers().getFirst().downProj().shape()).containsExactly(64, 172);
        assertThat(w.parameterCount()).isEqualTo(512 * 64 + 5 * (2 * 64 + 2 * 64 * 64 + 2 * 32 * 64 + 3 * 172 * 64) + 64);
        // the reader's tensors are the bytes at the offsets export.py wrote them to
        assertThat(bytes(w.embedding())).isEqualTo(legacy.embedding());
        assertThat(bytes(w.finalNorm())).isEqualTo(legacy.finalNorm());
        assertThat(bytes(w.layers().get(4).upProj())).isEqualTo(lastLayerOf(legacy.w3(), 5));
        assertThat(bytes(w.layers().get(4).downProj())).isEqualTo(lastLayerOf(legacy.w2(), 5));
    }

    @Test
    void version1LayoutGivesTheSameWeightsAsTheLegacyLayout() throws Exception {
        byte[] v1 = Llama2cFiles.version1(legacy);
        assertThat(ByteBuffer.wrap(v1, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(0x616b3432);
        assertThat(new String(v1, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("24ka"); // "ak42" as a little-endian uint32

        var fromLegacy = Llama2cCheckpoint.read(write("legacy.bin", stories));
        var fromV1 = Llama2cCheckpoint.read(write("v1.bin", v1));

        assertThat(fromV1.config()).isEqualTo(fromLegacy.config());
        assertSameWeights(fromV1.weights(), fromLegacy.weights());
        assertThat(fromV1.weights().lmHead()).isSameAs(fromV1.weights().embedding());
    }

    @Test
    void separateClassifierIsReadInBothLayouts() throws Exception {
        byte[] classifier = legacy.embedding().clone();
        for (int i = 3; i < classifier.length; i += 4) classifier[i] ^= (byte) 0x80; // negate every float
        Llama2cFiles.Legacy untied = Llama2cFiles.withClassifier(legacy, classifier);

        var fromLegacy = Llama2cCheckpoint.read(write("legacy-untied.bin", Llama2cFiles.legacy(untied)));
        var fromV1 = Llama2cCheckpoint.read(write("v1-untied.bin", Llama2cFiles.version1(untied)));

        for (var loaded : new Llama2cCheckpoint.Loaded[] {fromLegacy, fromV1}) {
            assertThat(loaded.config().tieWordEmbeddings()).isFalse();
            assertThat(loaded.config().vocabSize()).isEqualTo(512);
            assertThat(bytes(loaded.weights().lmHead())).isEqualTo(classifier);
            assertThat(bytes(loaded.weights().embedding())).isEqualTo(legacy.embedding());
        }
        assertSameWeights(fromV1.weights(), fromLegacy.weights());
    }

    @Test
    void version1WithAnotherVersionNumberIsRejected() throws Exception {
        byte[] v2 = Llama2cFiles.version1(legacy);
        v2[4] = 2;
        Path file = write("v2.bin", v2);
        assertThatThrownBy(() -> Llama2cCheckpoint.read(file)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(file.toString(), "version 2");
    }

    @Test
    void headerWithAnOddHeadDimIsACheckpointException() throws Exception {
        // regression: n_heads = dim gave head dim 1, and ModelConfig's IllegalArgumentException escaped the reader
        byte[] bytes = stories.clone();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 64).putInt(16, 64);
        Path file = write("odd-head-dim.bin", bytes);
        assertThatThrownBy(() -> Llama2cCheckpoint.read(file)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(file.toString(), "heads=64", "head_dim must be even");
    }

    @Test
    void truncatedFilesNameTheTensorThatDoesNotFit() throws Exception {
        Path legacyCut = write("legacy-cut.bin", Arrays.copyOf(stories, 28 + legacy.embedding().length + 10));
        assertThatThrownBy(() -> Llama2cCheckpoint.read(legacyCut)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(legacyCut.toString(), "truncated", "'model.layers.0.input_layernorm.weight'");
        byte[] v1 = Llama2cFiles.version1(legacy);
        Path v1Cut = write("v1-cut.bin", Arrays.copyOf(v1, v1.length - 1));
        assertThatThrownBy(() -> Llama2cCheckpoint.read(v1Cut)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(v1Cut.toString(), "truncated", "'model.layers.4.mlp.up_proj.weight'");
        Path ropeCut = write("rope-cut.bin", Arrays.copyOf(stories, stories.length - 4));
        assertThatThrownBy(() -> Llama2cCheckpoint.read(ropeCut)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(ropeCut.toString(), "truncated");
    }

    private static void assertSameWeights(LlamaWeights actual, LlamaWeights expected) {
        Map<String, Tensor> a = actual.byName(), e = expected.byName();
        assertThat(a.keySet()).containsExactlyElementsOf(e.keySet());
        e.forEach((name, t) -> {
            assertThat(a.get(name).dtype()).as(name).isEqualTo(t.dtype());
            assertThat(a.get(name).shape()).as(name).containsExactly(t.shape());
            assertThat(bytes(a.get(name))).as(name).isEqualTo(bytes(t));
        });
        assertThat(bytes(actual.lmHead())).isEqualTo(bytes(expected.lmHead()));
    }

    private static byte[] bytes(Tensor t) {
        return RawSafetensors.bytesOf(t);
    }

    private static byte[] lastLayerOf(byte[] allLayers, int layers) {
        int per = allLayers.length / layers;
        return Arrays.copyOfRange(allLayers, allLayers.length - per, allLayers.length);
    }

    @Test
    void bytesBeyondWhatTheHeaderDescribesAreRejected(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("longer.bin");
        byte[] original = Files.readAllBytes(SharedFiles.shared().resolve("models/stories260K/stories260K.bin"));
        Files.write(copy, java.util.Arrays.copyOf(original, original.length + 4));
        assertThatThrownBy(() -> Llama2cCheckpoint.read(copy))
                .isExactlyInstanceOf(dev.t2.io.CheckpointException.class)
                .hasMessageContainingAll(copy.toString(), "4 bytes beyond the weights");
    }
}
