package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every malformed safetensors file or index is rejected with a CheckpointException naming the file and the problem. */
class SafetensorsErrorsTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) {
        return RawSafetensors.write(dir.resolve(name), bytes);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertOpenFails(Path file) {
        return assertThatThrownBy(() -> SafetensorsFile.open(file)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void fileShorterThanTheEightByteLengthField() {
        for (int n = 0; n < 8; n++) {
            assertOpenFails(file("short-" + n + ".safetensors", new byte[n])).hasMessageContainingAll("truncated", n + " bytes");
        }
    }

    @Test
    void headerLengthLargerThanTheFile() {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        assertOpenFails(file("long.safetensors", RawSafetensors.bytes(1000, header, new byte[8])))
                .hasMessageContainingAll("header length 1000", "out of range", "18 bytes");
    }

    @Test
    void headerLengthNegativeOrAboveTheFormatLimit() {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        for (long len : new long[] {-1, Long.MIN_VALUE, 0, 1, (100L << 20) + 1, Long.MAX_VALUE}) {
            assertOpenFails(file("len.safetensors", RawSafetensors.bytes(len, header, new byte[0]))).hasMessageContaining("header length " + len);
        }
    }

    @Test
    void headerThatIsNotJson() {
        assertOpenFails(file("garbage.safetensors", RawSafetensors.bytes("{\"w\": {\"dtype\": \"F32\",", new byte[0])))
                .hasMessageContaining("not valid JSON");
        assertOpenFails(file("binary.safetensors", RawSafetensors.bytes(4, new byte[] {(byte) 0xFF, 0, 1, 2}, new byte[0])))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void deeplyNestedHeaderIsRejectedWithoutStackOverflow() {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        assertOpenFails(file("deep.safetensors", RawSafetensors.bytes(deep, new byte[0]))).hasMessageContaining("not valid JSON");
    }

    @Test
    void headerJsonThatIsNotAnObject() {
        for (String header : new String[] {"[1, 2, 3]", "\"model\"", "42", "null", "        "}) {
            assertOpenFails(file("notobject.safetensors", RawSafetensors.bytes(header, new byte[0]))).hasMessageContaining("not a JSON object");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"shape": [2], "data_offsets": [0, 8]}                    | missing dtype
            {"dtype": 32, "shape": [2], "data_offsets": [0, 8]}       | missing dtype
            {"dtype": "F32", "data_offsets": [0, 8]}                  | missing shape
            {"dtype": "F32", "shape": 2, "data_offsets": [0, 8]}      | missing shape
            {"dtype": "F32", "shape": [2]}                            | data_offsets must be [begin, end]
            {"dtype": "F32", "shape": [2], "data_offsets": [0]}       | data_offsets must be [begin, end]
            {"dtype": "F32", "shape": [2], "data_offsets": ["0", 8]}  | data_offsets must be [begin, end]
            {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}   | bad shape
            {"dtype": "F32", "shape": ["2"], "data_offsets": [0, 8]}  | bad shape
            {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 8]} | overflows
            {"dtype": "F32", "shape": [2], "data_offsets": [-8, 0]}   | outside the 8-byte data section
            {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}    | outside the 8-byte data section
            "F32"                                                     | entry is not an object
            """)
    void malformedEntryNamesTheTensorAndTheField(String entry, String problem) {
        Path f = file("entry.safetensors", RawSafetensors.bytes("{\"model.norm.weight\": " + entry + "}", new byte[8]));
        assertOpenFails(f).hasMessageContainingAll("'model.norm.weight'", problem);
    }

    @Test
    void dataOffsetsBeyondATruncatedDataSection() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("model.embed_tokens.weight", Tensor.ofFloats("model.embed_tokens.weight", new float[12], 3, 4));
        tensors.put("model.norm.weight", Tensor.ofFloats("model.norm.weight", new float[4], 4));
        Path whole = dir.resolve("whole.safetensors");
        SafetensorsWriter.write(whole, tensors, Map.of());
        byte[] bytes = Files.readAllBytes(whole);
        long dataStart = 8 + RawSafetensors.headerLength(bytes);

        // cutting into the last tensor blames it; cutting into the first blames the first (in header order)
        assertOpenFails(file("cut1.safetensors", Arrays.copyOf(bytes, bytes.length - 1)))
                .hasMessageContainingAll("'model.norm.weight'", "data_offsets [48, 64)", "63-byte data section", "truncated");
        assertOpenFails(file("cut2.safetensors", Arrays.copyOf(bytes, (int) dataStart + 20)))
                .hasMessageContainingAll("'model.embed_tokens.weight'", "data_offsets [0, 48)", "20-byte data section");
        // and a file cut inside its header is a header problem, not a tensor one
        assertOpenFails(file("cut3.safetensors", Arrays.copyOf(bytes, (int) dataStart - 1))).hasMessageContaining("header length");
    }

    @Test
    void byteSizeThatDoesNotMatchDtypeTimesShape() {
        Path f = file("size.safetensors", RawSafetensors.bytes(
                "{\"model.layers.0.mlp.up_proj.weight\": {\"dtype\": \"BF16\", \"shape\": [2, 3], \"data_offsets\": [0, 16]}}", new byte[16]));
        assertOpenFails(f).hasMessageContainingAll("'model.layers.0.mlp.up_proj.weight'", "BF16[2, 3] needs 12 bytes", "span 16");
    }

    @Test
    void gapsTrailingBytesAndFractionalOffsetsAreRejectedAsTheReferenceDoes() {
        Path gap = file("gap.safetensors", RawSafetensors.bytes("""
                {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                 "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}""", new byte[12]));
        assertOpenFails(gap).hasMessageContainingAll("'b'", "gap");
        Path tail = file("tail.safetensors", RawSafetensors.bytes("""
                {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}""", new byte[9]));
        assertOpenFails(tail).hasMessageContaining("5 bytes after the last tensor");
        Path fractional = file("fraction.safetensors", RawSafetensors.bytes("""
                {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4.5]}}""", new byte[4]));
        assertOpenFails(fractional).hasMessageContainingAll("'a'", "data_offsets");
    }

    @Test
    void overlappingTensorsNameBothTensors() {
        Path f = file("overlap.safetensors", RawSafetensors.bytes("""
                {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                 "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}""", new byte[12]));
        assertOpenFails(f).hasMessageContainingAll("'a'", "'b'", "overlap");
    }

    @Test
    void unknownDtypeNamesTheTensorAndTheDtype() {
        Path f = file("dtype.safetensors", RawSafetensors.bytes(
                "{\"w\": {\"dtype\": \"F33\", \"shape\": [2], \"data_offsets\": [0, 8]}}", new byte[8]));
        assertOpenFails(f).hasMessageContainingAll("tensor 'w'", "unknown dtype 'F33'");
    }

    @Test
    void aValidButUnusableDtypeFailsWhenTheTensorIsTaken() {
        Path f = file("int.safetensors", RawSafetensors.bytes(
                "{\"position_ids\": {\"dtype\": \"I64\", \"shape\": [2], \"data_offsets\": [0, 16]}}", new byte[16]));
        SafetensorsFile file = SafetensorsFile.open(f);
        assertThat(file.names()).containsExactly("position_ids");
        assertThatThrownBy(() -> file.tensor("position_ids")).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(f.toString(), "'position_ids'", "I64");
        assertThatThrownBy(() -> file.tensor("absent")).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(f.toString(), "no tensor 'absent'");
    }

    @Test
    void metadataThatIsNotAnObject() {
        assertOpenFails(file("meta.safetensors", RawSafetensors.bytes("{\"__metadata__\": [\"pt\"]}", new byte[0])))
                .hasMessageContaining("__metadata__ is not an object");
    }

    // --- model.safetensors.index.json ---

    private Path writeShard(String name, String... tensorNames) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String t : tensorNames) tensors.put(t, Tensor.encode(t, DType.F32, new float[] {1, 2}, 2));
        Path p = dir.resolve(name);
        SafetensorsWriter.write(p, tensors, Map.of());
        return p;
    }

    private Path writeIndex(String json) throws Exception {
        return Files.writeString(dir.resolve("model.safetensors.index.json"), json);
    }

    @Test
    void indexNamingAMissingShard() throws Exception {
        writeShard("model-00001-of-00002.safetensors", "a");
        Path index = writeIndex("""
                {"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}""");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(index.toString(), "shard 'model-00002-of-00002.safetensors'", "tensor 'b'", "missing");
    }

    @Test
    void indexNamingATensorThatIsNotInItsShard() throws Exception {
        Path shard1 = writeShard("model-00001-of-00002.safetensors", "a");
        writeShard("model-00002-of-00002.safetensors", "b");
        writeIndex("""
                {"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00001-of-00002.safetensors"}}""");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(shard1.toString(), "tensor 'b'", "not in the shard");
    }

    @Test
    void indexThatIsNotJsonOrHasNoWeightMap() throws Exception {
        for (String json : new String[] {"{\"weight_map\": ", "{\"metadata\": {}}", "[]", "", "{\"weight_map\": [\"a\"]}"}) {
            Path index = writeIndex(json);
            assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).as(json).isExactlyInstanceOf(CheckpointException.class)
                    .hasMessageContaining(index.toString());
        }
    }

    @Test
    void indexShardNameThatEscapesTheDirectory() throws Exception {
        writeShard("model.safetensors", "a");
        Path index = writeIndex("{\"weight_map\": {\"a\": \"../elsewhere/model.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(index.toString(), "'../elsewhere/model.safetensors'", "plain file name");
    }

    @Test
    void directoryWithoutAnyCheckpoint() {
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(dir.toString(), "no model.safetensors");
    }

    @Test
    void aCorruptShardIsBlamedByItsOwnPath() throws Exception {
        Path bad = file("model-00001-of-00001.safetensors", new byte[3]);
        writeIndex("{\"weight_map\": {\"a\": \"model-00001-of-00001.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isExactlyInstanceOf(CheckpointException.class)
                .hasMessageContainingAll(bad.toString(), "truncated");
    }
}
