package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2.tensor.DType;
import dev.t2.tensor.Quantize;
import dev.t2.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class GgufTest {

    @TempDir
    Path dir;

    @Test
    void metadataOfEveryValueTypeRoundTrips() {
        GgufWriter w = new GgufWriter()
                .put("u8", GgufValueType.UINT8, 255)
                .put("i8", GgufValueType.INT8, -128)
                .put("u16", GgufValueType.UINT16, 65535)
                .put("i16", GgufValueType.INT16, -32768)
                .putUInt32("u32", 4_294_967_295L)
                .putInt("i32", Integer.MIN_VALUE)
                .putFloat("f32", -0.0f)
                .put("f32.nan", GgufValueType.FLOAT32, Float.NaN)
                .put("f32.subnormal", GgufValueType.FLOAT32, Float.MIN_VALUE)
                .putBool("bool", true)
                .putString("string", "naïve 🙂 \"quoted\"\n")
                .putString("empty", "")
                .put("u64", GgufValueType.UINT64, -1L)
                .putLong("i64", Long.MIN_VALUE)
                .put("f64", GgufValueType.FLOAT64, Math.PI)
                .putArray("a.u8", GgufValueType.UINT8, new int[] {0, 1, 255})
                .putArray("a.i8", GgufValueType.INT8, new int[] {-128, 127})
                .putArray("a.u16", GgufValueType.UINT16, new int[] {65535})
                .putArray("a.i16", GgufValueType.INT16, new int[] {-32768, 7})
                .putArray("a.u32", GgufValueType.UINT32, new long[] {4_294_967_295L, 0})
                .putIntArray("a.i32", Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE)
                .putFloatArray("a.f32", 1.5f, Float.NEGATIVE_INFINITY)
                .putArray("a.bool", GgufValueType.BOOL, new boolean[] {true, false, true})
                .putStringArray("a.string", "", "▁the", "<0x0A>", "日本")
                .putArray("a.u64", GgufValueType.UINT64, new long[] {-1L, 1L << 40})
                .putArray("a.i64", GgufValueType.INT64, new long[] {Long.MIN_VALUE})
                .putArray("a.f64", GgufValueType.FLOAT64, new double[] {1e-300, -2})
                .putFloatArray("a.empty");
        Path file = dir.resolve("meta.gguf");
        w.write(file);
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.version()).isEqualTo(3);
            assertThat(g.metadata()).hasSize(28);
            assertThat(g.metadata().get("u8")).isEqualTo(255);
            assertThat(g.metadata().get("i8")).isEqualTo(-128);
            assertThat(g.metadata().get("u16")).isEqualTo(65535);
            assertThat(g.metadata().get("i16")).isEqualTo(-32768);
            assertThat(g.metadata().get("u32")).isEqualTo(4_294_967_295L);
            assertThat(g.getInt("i32")).isEqualTo(Integer.MIN_VALUE);
            assertThat(Float.floatToRawIntBits(g.getFloat("f32"))).isEqualTo(Float.floatToRawIntBits(-0.0f));
            assertThat(g.getFloat("f32.nan")).isNaN();
            assertThat(g.getFloat("f32.subnormal")).isEqualTo(Float.MIN_VALUE);
            assertThat(g.getBoolean("bool")).isTrue();
            assertThat(g.getString("string")).isEqualTo("naïve 🙂 \"quoted\"\n");
            assertThat(g.getString("empty")).isEmpty();
            assertThat(g.metadata().get("u64")).isEqualTo(-1L);
            assertThat(g.getLong("i64")).isEqualTo(Long.MIN_VALUE);
            assertThat(g.metadata().get("f64")).isEqualTo(Math.PI);
            assertThat(g.getIntArray("a.u8")).containsExactly(0, 1, 255);
            assertThat(g.getIntArray("a.i8")).containsExactly(-128, 127);
            assertThat(g.getIntArray("a.u16")).containsExactly(65535);
            assertThat(g.getIntArray("a.i16")).containsExactly(-32768, 7);
            assertThat((long[]) g.metadata().get("a.u32")).containsExactly(4_294_967_295L, 0);
            assertThat(g.getIntArray("a.i32")).containsExactly(Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE);
            assertThat(g.getFloatArray("a.f32")).containsExactly(1.5f, Float.NEGATIVE_INFINITY);
            assertThat((boolean[]) g.metadata().get("a.bool")).containsExactly(true, false, true);
            assertThat(g.getStringArray("a.string")).containsExactly("", "▁the", "<0x0A>", "日本");
            assertThat((long[]) g.metadata().get("a.u64")).containsExactly(-1L, 1L << 40);
            assertThat((long[]) g.metadata().get("a.i64")).containsExactly(Long.MIN_VALUE);
            assertThat((double[]) g.metadata().get("a.f64")).containsExactly(1e-300, -2);
            assertThat(g.getFloatArray("a.empty")).isEmpty();
            for (GgufValueType t : GgufValueType.values()) {
                if (t == GgufValueType.ARRAY) continue;
                String arrayKey = "a." + t.name().toLowerCase().replace("float", "f").replace("uint", "u").replace("int", "i");
                assertThat(g.arrayElementType(arrayKey)).as(arrayKey).isEqualTo(t);
                assertThat(g.valueType(arrayKey)).isEqualTo(GgufValueType.ARRAY);
            }
            assertThat(g.valueType("u16")).isEqualTo(GgufValueType.UINT16);
            assertThat(g.valueType("u64")).isEqualTo(GgufValueType.UINT64);

            // Copying metadata preserves every type: the copy is byte-identical.
            Path copy = dir.resolve("copy.gguf");
            new GgufWriter().copyMetadata(g).write(copy);
            assertThat(bytes(copy)).isEqualTo(bytes(file));
        }
    }

    @Test
    void typedGettersRejectOtherTypesByName() {
        Path file = dir.resolve("typed.gguf");
        new GgufWriter().putString("general.name", "x").put("big", GgufValueType.UINT64, -1L).putUInt32("n", 3_000_000_000L).write(file);
        try (GgufFile g = GgufFile.open(file)) {
            assertThatThrownBy(() -> g.getInt("general.name")).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("typed.gguf").hasMessageContaining("'general.name' is STRING, expected an integer");
            assertThatThrownBy(() -> g.getString("missing")).hasMessageContaining("'missing' is missing");
            assertThatThrownBy(() -> g.getLong("big")).hasMessageContaining("18446744073709551615 does not fit a long");
            assertThatThrownBy(() -> g.getInt("n")).hasMessageContaining("does not fit an int");
            assertThat(g.getLong("n")).isEqualTo(3_000_000_000L);
        }
    }

    @Test
    void tensorsOfEveryDtypeRoundTripAsZeroCopyViews() {
        Random rnd = new Random(7);
        float[] values = new float[4 * 64];
        for (int i = 0; i < values.length; i++) values[i] = (float) rnd.nextGaussian();
        GgufWriter w = new GgufWriter().putString("general.architecture", "llama");
        List<Tensor> written = Stream.of(DType.values())
                .map(t -> Quantize.encode("w." + t.name().toLowerCase(), t, values, 4, 64))
                .toList();
        written.forEach(w::addTensor);
        w.addTensor(Tensor.ofFloats("norm", new float[] {1, 2, 3}, 3));
        Path file = dir.resolve("tensors.gguf");
        w.write(file);
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.tensorInfos()).hasSize(DType.values().length + 1);
            for (Tensor expected : written) {
                Tensor actual = g.tensor(expected.name());
                assertThat(actual.dtype()).isEqualTo(expected.dtype());
                assertThat(actual.shape()).containsExactly(4, 64);
                assertThat(actual.data().isMapped()).as("mapped view, not a copy").isTrue();
                assertThat(actual.data().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(expected.data().toArray(ValueLayout.JAVA_BYTE));
                assertThat(actual.toFloatArray()).containsExactly(expected.toFloatArray());
            }
            assertThat(g.tensor("norm").toFloatArray()).containsExactly(1, 2, 3);
            for (GgufTensorInfo info : g.tensorInfos()) {
                assertThat(info.offset() % 32).isZero();
                assertThat((g.dataOffset() + info.offset()) % 32).isZero();
            }
            assertThat(g.tensors()).extracting(Tensor::name).first().isEqualTo("w.f32");
        }
    }

    @Test
    void shapesAreReversedBetweenGgufAndRowMajor() throws IOException {
        // A [3 rows, 32 cols] matrix: GGUF stores ne0 = 32 (innermost) first.
        float[] values = new float[3 * 32];
        for (int i = 0; i < values.length; i++) values[i] = i;
        Path file = dir.resolve("shape.gguf");
        new GgufWriter().addTensor(Tensor.ofFloats("m", values, 3, 32)).addTensor(Tensor.ofFloats("t", new float[2 * 32 * 5], 2, 1, 32, 5)).write(file);
        try (GgufFile g = GgufFile.open(file)) {
            GgufTensorInfo info = g.tensorInfos().getFirst();
            assertThat(info.ggufDimensions()).containsExactly(32, 3);
            assertThat(info.shape()).containsExactly(3, 32);
            Tensor m = g.tensor("m");
            assertThat(m.rows()).isEqualTo(3);
            assertThat(m.cols()).isEqualTo(32);
            assertThat(m.getFloat(1 * 32 + 5)).isEqualTo(37f); // row 1, column 5
            assertThat(g.tensorInfos().get(1).ggufDimensions()).containsExactly(5, 32, 1, 2);
            assertThat(g.tensor("t").shape()).containsExactly(2, 1, 32, 5);
        }
        // The raw header, read independently: name "m", n_dims 2, ne0 = 32, ne1 = 3.
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int nameAt = 4 + 4 + 8 + 8;
        assertThat(b.getLong(nameAt)).isEqualTo(1);
        assertThat(b.get(nameAt + 8)).isEqualTo((byte) 'm');
        assertThat(b.getInt(nameAt + 9)).isEqualTo(2);
        assertThat(b.getLong(nameAt + 13)).isEqualTo(32);
        assertThat(b.getLong(nameAt + 21)).isEqualTo(3);
        assertThat(b.getInt(nameAt + 29)).isEqualTo(GgmlType.F32.id);
    }

    @Test
    void customAlignmentIsRecordedAndHonoured() {
        Path file = dir.resolve("aligned.gguf");
        new GgufWriter().alignment(64)
                .addTensor(Tensor.ofFloats("a", new float[3], 3))
                .addTensor(Tensor.ofFloats("b", new float[5], 5))
                .write(file);
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.alignment()).isEqualTo(64);
            assertThat(g.valueType("general.alignment")).isEqualTo(GgufValueType.UINT32);
            assertThat(g.dataOffset() % 64).isZero();
            assertThat(g.tensorInfos().get(1).offset()).isEqualTo(64);
        }
    }

    @Test
    void unsupportedGgmlTypesKeepMetadataReadableAndNameTheTensor() throws IOException {
        // A Q4_K tensor (type 12): 256 elements = one 144-byte block.
        RawGguf raw = RawGguf.header(3, 1, 1).kvString("general.architecture", "llama")
                .tensorInfo("blk.0.ffn_down.weight", 12, 0, 256).padTo(32).zeros(144);
        Path file = write("kquant.gguf", raw.toBytes());
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.getString("general.architecture")).isEqualTo("llama");
            assertThat(g.tensorInfos().getFirst().type()).isEqualTo(GgmlType.Q4_K);
            assertThatThrownBy(() -> g.tensor("blk.0.ffn_down.weight")).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("kquant.gguf").hasMessageContaining("'blk.0.ffn_down.weight'")
                    .hasMessageContaining("Q4_K (12)");
            assertThatThrownBy(() -> g.tensor("nope")).hasMessageContaining("no tensor 'nope'");
        }
    }

    @Test
    void versionTwoIsAccepted() throws IOException {
        Path file = write("v2.gguf", RawGguf.header(2, 0, 1).kvU32("n", 7).toBytes());
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.version()).isEqualTo(2);
            assertThat(g.getInt("n")).isEqualTo(7);
        }
    }

    @Test
    void malformedFilesGiveOneClearError() throws IOException {
        byte[] bigEndian = RawGguf.header(3, 0, 0).toBytes();
        bigEndian[4] = 0;
        bigEndian[7] = 3;
        rejects("empty.gguf", new byte[0], "truncated: magic");
        rejects("short.gguf", "GGU".getBytes(), "truncated");
        rejects("ggml.gguf", "ggjt0000000000000000000000".getBytes(), "not a GGUF file: starts with \"ggjt\"");
        rejects("v1.gguf", RawGguf.header(1, 0, 0).toBytes(), "unsupported GGUF version 1");
        rejects("v4.gguf", RawGguf.header(4, 0, 0).toBytes(), "unsupported GGUF version 4");
        rejects("bigendian.gguf", bigEndian, "big-endian GGUF (version 3) is not supported");
        rejects("no-counts.gguf", new RawGguf().bytes("GGUF".getBytes()).u32(3).u32(0).toBytes(), "truncated: tensor count");
        rejects("huge-kv.gguf", RawGguf.header(3, 0, 1L << 62).toBytes(), "metadata entry count 4611686018427387904 is impossible");
        rejects("minus-kv.gguf", RawGguf.header(3, 0, -1).toBytes(), "metadata entry count 18446744073709551615 is impossible");
        rejects("huge-tensors.gguf", RawGguf.header(3, Long.MAX_VALUE, 0).zeros(100).toBytes(), "tensor count 9223372036854775807 is impossible");
        rejects("key-len.gguf", RawGguf.header(3, 0, 1).u64(1000).bytes("ab".getBytes()).zeros(11).toBytes(),
                "key of metadata entry 0: string length 1000 at byte 24 goes beyond the end of the file");
        rejects("key-len-neg.gguf", RawGguf.header(3, 0, 1).u64(Long.MIN_VALUE).zeros(13).toBytes(), "string length 9223372036854775808");
        rejects("value-type.gguf", RawGguf.header(3, 0, 1).string("k").u32(13).zeros(8).toBytes(), "metadata 'k' has unknown value type 13");
        rejects("value-len.gguf", RawGguf.header(3, 0, 1).string("k").u32(GgufValueType.STRING.id).u64(99).toBytes(), "value of 'k': string length 99");
        rejects("truncated-value.gguf", RawGguf.header(3, 0, 1).string("k").u32(GgufValueType.UINT64.id).u32(1).toBytes(), "truncated: value of 'k'");
        rejects("array-count.gguf", RawGguf.header(3, 0, 1).string("k").u32(GgufValueType.ARRAY.id).u32(GgufValueType.FLOAT32.id).u64(1L << 40).zeros(16).toBytes(),
                "array 'k' claims 1099511627776 FLOAT32 elements but only 16 bytes follow");
        rejects("array-type.gguf", RawGguf.header(3, 0, 1).string("k").u32(GgufValueType.ARRAY.id).u32(77).u64(0).toBytes(), "element type of metadata 'k' has unknown value type 77");
        rejects("nested.gguf", RawGguf.header(3, 0, 1).string("k").u32(GgufValueType.ARRAY.id).u32(GgufValueType.ARRAY.id).u64(0).toBytes(), "array of arrays");
        rejects("bool.gguf", RawGguf.header(3, 0, 1).string("k").u32(GgufValueType.BOOL.id).u8(2).toBytes(), "bool byte is 2");
        rejects("dup-key.gguf", RawGguf.header(3, 0, 2).kvU32("k", 1).kvU32("k", 2).toBytes(), "metadata key 'k' appears twice");
        rejects("align-0.gguf", RawGguf.header(3, 0, 1).kvU32("general.alignment", 0).toBytes(), "general.alignment must be a power of two integer, is 0");
        rejects("align-3.gguf", RawGguf.header(3, 0, 1).kvU32("general.alignment", 3).toBytes(), "is 3");
        rejects("align-str.gguf", RawGguf.header(3, 0, 1).kvString("general.alignment", "32").toBytes(), "is 32");
        rejects("dims-0.gguf", tensorFile(RawGguf.header(3, 1, 0).tensorInfo("t", 0, 0)), "tensor 't' has 0 dimensions");
        rejects("dims-5.gguf", tensorFile(RawGguf.header(3, 1, 0).tensorInfo("t", 0, 0, 1, 1, 1, 1, 1)), "tensor 't' has 5 dimensions");
        rejects("dim-neg.gguf", tensorFile(RawGguf.header(3, 1, 0).tensorInfo("t", 0, 0, -5)), "tensor 't': dimension 0 is 18446744073709551611");
        rejects("dim-overflow.gguf", tensorFile(RawGguf.header(3, 1, 0).tensorInfo("t", 0, 0, 1L << 40, 1L << 40)), "overflows");
        rejects("ggml-type.gguf", tensorFile(RawGguf.header(3, 1, 0).tensorInfo("t", 99, 0, 4)), "tensor 't' has unknown ggml type 99");
        rejects("block.gguf", tensorFile(RawGguf.header(3, 1, 0).tensorInfo("t", GgmlType.Q8_0.id, 0, 31)), "innermost dimension 31 is not a multiple of the Q8_0 block size 32");
        rejects("unaligned.gguf", tensorFile(RawGguf.header(3, 1, 0).tensorInfo("t", 0, 4, 1)), "data offset 4 is not a multiple of the alignment 32");
        rejects("beyond.gguf", tensorFile(RawGguf.header(3, 1, 0).tensorInfo("t", 0, 1024, 1)), "tensor 't': data [1024, 1028) lies outside the data section of 64 bytes");
        rejects("huge-offset.gguf", tensorFile(RawGguf.header(3, 1, 0).tensorInfo("t", 0, -32, 1)), "data offset 18446744073709551584");
        rejects("overlap.gguf", RawGguf.header(3, 2, 0).tensorInfo("a", 0, 0, 16).tensorInfo("b", 0, 32, 16).padTo(32).zeros(96).toBytes(), "tensors 'a' [0, 64) and 'b' [32, 96) overlap");
        rejects("dup-tensor.gguf", tensorFile(RawGguf.header(3, 2, 0).tensorInfo("a", 0, 0, 1).tensorInfo("a", 0, 32, 1)), "tensor 'a' appears twice");
        rejects("no-data.gguf", RawGguf.header(3, 1, 0).tensorInfo("t", 0, 0, 1).toBytes(), "past the end of the file");
        Path valid = dir.resolve("valid.gguf");
        new GgufWriter().addTensor(Tensor.ofFloats("t", new float[64], 64)).write(valid);
        byte[] whole = Files.readAllBytes(valid);
        rejects("cut-data.gguf", java.util.Arrays.copyOf(whole, whole.length - 1), "tensor 't': data [0, 256) lies outside the data section of 255 bytes (truncated file?)");
        assertThatThrownBy(() -> GgufFile.open(dir.resolve("absent.gguf"))).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("absent.gguf").hasMessageContaining("cannot read");
    }

    @Test
    void writerReplacesFilesAtomicallyAndLeavesNothingOnFailure() throws IOException {
        Path file = dir.resolve("model.gguf");
        new GgufWriter().putString("v", "1").write(file);
        byte[] before = Files.readAllBytes(file);
        GgufFile closed = GgufFile.open(writeTensorFile("src.gguf"));
        Tensor dead = closed.tensor("t");
        closed.close();
        GgufWriter failing = new GgufWriter().putString("v", "2").addTensor(dead);
        assertThatThrownBy(() -> failing.write(file)).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.gguf", "src.gguf");
        }
        assertThatThrownBy(() -> new GgufWriter().write(dir.resolve("missing-dir/x.gguf")))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("x.gguf");
        assertThatThrownBy(() -> new GgufWriter().putString("k", "a").putString("k", "b")).hasMessageContaining("'k' set twice");
        assertThatThrownBy(() -> new GgufWriter().put("k", GgufValueType.UINT8, 256)).hasMessageContaining("not a valid UINT8");
        assertThatThrownBy(() -> new GgufWriter().putArray("k", GgufValueType.INT16, new int[] {1 << 20})).hasMessageContaining("k[0]");
    }

    /**
     * Thousands of seeded mutations of a valid file: every outcome is a successful parse or a CheckpointException
     * naming the file, never another exception, an OutOfMemoryError or a hang.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails the test instead of stalling the build
    void fuzzedFilesParseOrFailCleanly() throws IOException {
        Path validFile = writeTensorFile("seed.gguf");
        byte[] valid = Files.readAllBytes(validFile);
        long headerEnd;
        try (GgufFile g = GgufFile.open(validFile)) {
            headerEnd = g.dataOffset();
        }
        Random rnd = new Random(20250309);
        int[] outcomes = new int[2];
        List<String> failures = new java.util.ArrayList<>();
        int cases = 0;
        // Truncation at every byte of the header, then random mutations.
        for (int cut = 0; cut <= headerEnd + 8; cut++, cases++) {
            check("cut-" + cut, java.util.Arrays.copyOf(valid, cut), outcomes, failures);
        }
        long[] huge = {Long.MAX_VALUE, Long.MIN_VALUE, -1L, 1L << 62, 1L << 32, 1L << 31, valid.length, valid.length + 1L, 0xFFFF_FFFFL};
        for (int i = 0; i < 4000; i++, cases++) {
            byte[] m = valid.clone();
            String what;
            int kind = rnd.nextInt(4);
            int at = (int) (rnd.nextInt(10) < 8 ? rnd.nextLong(headerEnd) : rnd.nextInt(m.length));
            if (kind == 0) {
                int flips = 1 + rnd.nextInt(4);
                for (int f = 0; f < flips; f++) m[rnd.nextInt((int) headerEnd)] ^= (byte) (1 << rnd.nextInt(8));
                what = flips + " bit flips";
            } else if (kind == 1) {
                m[at] = (byte) rnd.nextInt(256);
                what = "random byte at " + at;
            } else if (kind == 2) {
                long v = huge[rnd.nextInt(huge.length)];
                at = Math.min(at, m.length - 8);
                ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
                what = "u64 " + Long.toUnsignedString(v) + " at " + at;
            } else {
                int v = rnd.nextBoolean() ? rnd.nextInt(40) : rnd.nextInt();
                at = Math.min(at, m.length - 4);
                ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
                what = "u32 " + v + " at " + at;
            }
            if (rnd.nextInt(8) == 0) {
                m = java.util.Arrays.copyOf(m, rnd.nextInt(m.length + 1));
                what += ", cut to " + m.length;
            }
            check("fuzz-" + i, m, outcomes, failures);
            if (!failures.isEmpty() && failures.getLast().startsWith("fuzz-" + i)) failures.set(failures.size() - 1, failures.getLast() + " after " + what);
        }
        assertThat(failures).as("unexpected outcomes").isEmpty();
        assertThat(cases).isGreaterThan(4000);
        assertThat(outcomes[0]).as("some mutations still parse").isPositive();
        assertThat(outcomes[1]).as("most are rejected").isGreaterThan(1000);
    }

    private void check(String name, byte[] content, int[] outcomes, List<String> failures) throws IOException {
        Path file = dir.resolve(name + ".gguf");
        Files.write(file, content);
        try (GgufFile g = GgufFile.open(file)) {
            exercise(g);
            outcomes[0]++;
        } catch (CheckpointException e) {
            if (e.getMessage().contains(file.getFileName().toString())) outcomes[1]++;
            else failures.add(name + ": message lacks the file name: " + e.getMessage());
        } catch (Throwable t) {
            failures.add(name + ": " + t);
        }
        Files.delete(file);
    }

    /** Touches everything a successful parse exposes, so a bad bound shows up as an exception here. */
    private static void exercise(GgufFile g) {
        for (Map.Entry<String, Object> e : g.metadata().entrySet()) {
            g.valueType(e.getKey());
            tolerate(() -> g.getString(e.getKey()));
            tolerate(() -> g.getLong(e.getKey()));
            tolerate(() -> g.getFloatArray(e.getKey()));
            tolerate(() -> g.getIntArray(e.getKey()));
            tolerate(() -> g.getStringArray(e.getKey()));
        }
        for (GgufTensorInfo info : g.tensorInfos()) {
            try {
                Tensor t = g.tensor(info.name());
                if (t.size() > 0) {
                    t.getFloat(0);
                    t.getFloat(t.size() - 1);
                }
            } catch (CheckpointException unsupportedType) {
                // allowed: named in the message like every other error
            }
        }
    }

    private static void tolerate(Runnable getter) {
        try {
            getter.run();
        } catch (CheckpointException wrongType) {
            // a typed getter on a key of another type
        }
    }

    private Path writeTensorFile(String name) {
        Path file = dir.resolve(name);
        float[] v = new float[64];
        for (int i = 0; i < v.length; i++) v[i] = i * 0.25f - 3;
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putUInt32("llama.block_count", 2)
                .putFloat("llama.rope.freq_base", 10000f)
                .putBool("flag", true)
                .putStringArray("tokenizer.ggml.tokens", "<s>", "</s>", "▁a")
                .putIntArray("tokenizer.ggml.token_type", 3, 3, 1)
                .putFloatArray("tokenizer.ggml.scores", 0, 0, -1.5f)
                .addTensor(Tensor.ofFloats("t", java.util.Arrays.copyOf(v, 32), 32))
                .addTensor(Quantize.encode("q", DType.Q8_0, v, 2, 32))
                .addTensor(Quantize.encode("h", DType.F16, v, 64))
                .write(file);
        return file;
    }

    private void rejects(String name, byte[] content, String expected) throws IOException {
        Path file = write(name, content);
        assertThatThrownBy(() -> GgufFile.open(file).close()).as(name)
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file.toString() + ": ")
                .hasMessageContaining(expected);
    }

    /** Tensor-table bytes followed by aligned data (64 bytes), so only the table entry is wrong. */
    private static byte[] tensorFile(RawGguf table) {
        return table.padTo(32).zeros(64).toBytes();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
