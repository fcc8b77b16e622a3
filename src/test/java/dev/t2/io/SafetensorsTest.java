package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write → read through SafetensorsWriter and SafetensorsFile keeps every bit, shape, name and metadata entry. */
class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void everyFloatDtypeAndShapeRoundTripsBitForBit() throws Exception {
        Random rnd = new Random(42);
        Map<String, Tensor> written = new LinkedHashMap<>();
        for (DType dtype : List.of(DType.F32, DType.F16, DType.BF16)) {
            String p = dtype.name().toLowerCase() + ".";
            for (long[] shape : List.of(new long[] {}, new long[] {7}, new long[] {3, 5}, new long[] {2, 3, 4},
                    new long[] {0, 4}, new long[] {0}, new long[] {4, 0, 2})) {
                String name = p + "shape" + Arrays.toString(shape).replace(" ", "");
                written.put(name, RawSafetensors.randomBits(name, dtype, rnd, shape));
            }
        }
        // values a float conversion could alter: signed zero, infinities, subnormals, quiet and signalling NaN payloads
        int[] special = {0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x00000001, 0x807FFFFF, 0x7FC00000, 0x7F800001, 0xFFBADBAD};
        MemorySegment seg = MemorySegment.ofArray(new byte[special.length * 4]);
        for (int i = 0; i < special.length; i++) seg.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4L * i, special[i]);
        written.put("f32.special", new Tensor("f32.special", DType.F32, new long[] {special.length}, seg));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("note", "unicode é ✓ and \"quotes\" and\nnewlines");
        Path file = tmp.resolve("model.safetensors");

        SafetensorsWriter.write(file, written, metadata);
        SafetensorsFile read = SafetensorsFile.open(file);

        assertThat(read.names()).containsExactlyElementsOf(written.keySet());
        assertThat(read.metadata()).containsExactlyEntriesOf(metadata);
        assertThat(read.path()).isEqualTo(file);
        for (Tensor w : written.values()) {
            Tensor r = read.tensor(w.name());
            assertThat(r.name()).isEqualTo(w.name());
            assertThat(r.dtype()).as(w.name()).isEqualTo(w.dtype());
            assertThat(r.shape()).as(w.name()).containsExactly(w.shape());
            assertThat(RawSafetensors.bytesOf(r)).as(w.name()).isEqualTo(RawSafetensors.bytesOf(w));
        }
        // the header spells shapes as safetensors does: a scalar is [], a zero-size tensor keeps its dimensions
        JsonNode header = RawSafetensors.header(Files.readAllBytes(file));
        assertThat(header.get("f32.shape[]").get("shape").size()).isZero();
        assertThat(header.get("bf16.shape[0,4]").get("shape").toString()).isEqualTo("[0,4]");
        assertThat(header.get("bf16.shape[0,4]").get("data_offsets").get(0).asLong())
                .isEqualTo(header.get("bf16.shape[0,4]").get("data_offsets").get(1).asLong());
    }

    @Test
    void encodedValuesReadBackExactly() {
        float[] values = {0f, -0f, 1f, -2.5f, 65504f, 1e-7f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY};
        Map<String, Tensor> written = new LinkedHashMap<>();
        for (DType dtype : List.of(DType.F32, DType.F16, DType.BF16)) written.put(dtype.name(), Tensor.encode(dtype.name(), dtype, values, 3, 3));
        Path file = tmp.resolve("values.safetensors");
        SafetensorsWriter.write(file, written, Map.of());
        SafetensorsFile read = SafetensorsFile.open(file);
        assertThat(read.metadata()).isEmpty();
        for (Tensor w : written.values()) {
            Tensor r = read.tensor(w.name());
            for (int i = 0; i < values.length; i++) {
                assertThat(Float.floatToRawIntBits(r.getFloat(i))).as("%s[%d]", w.name(), i).isEqualTo(Float.floatToRawIntBits(w.getFloat(i)));
            }
        }
    }

    @Test
    void aFileWithNoTensorsRoundTrips() {
        Path file = tmp.resolve("empty.safetensors");
        SafetensorsWriter.write(file, Map.of(), Map.of("format", "pt"));
        SafetensorsFile read = SafetensorsFile.open(file);
        assertThat(read.names()).isEmpty();
        assertThat(read.metadata()).containsExactly(Map.entry("format", "pt"));
    }

    @Test
    void headerIsSpacePaddedSoTheDataSectionStartsEightByteAligned() throws Exception {
        var unpaddedRemainders = new TreeSet<Integer>();
        for (int nameLength = 1; nameLength <= 16; nameLength++) {
            String name = "w".repeat(nameLength);
            Tensor t = Tensor.encode(name, DType.F16, new float[] {1, 2, 3}, 3);
            Path file = tmp.resolve("aligned-" + nameLength + ".safetensors");
            SafetensorsWriter.write(file, Map.of(name, t), Map.of());

            byte[] raw = Files.readAllBytes(file);
            long headerLength = RawSafetensors.headerLength(raw);
            String header = RawSafetensors.headerText(raw);
            assertThat((8 + headerLength) % 8).as("data start for name length %d", nameLength).isZero();
            assertThat(header.stripTrailing()).endsWith("}");
            assertThat(header.substring(header.stripTrailing().length())).as("padding").matches(" *");
            assertThat(header.stripTrailing().length()).isGreaterThan(Math.toIntExact(headerLength) - 8);
            unpaddedRemainders.add(header.stripTrailing().length() % 8);
            // the tensor bytes sit exactly at the aligned data start, and the mapped view is aligned too
            assertThat(raw).hasSize(Math.toIntExact(8 + headerLength + 6));
            assertThat(Arrays.copyOfRange(raw, Math.toIntExact(8 + headerLength), raw.length)).isEqualTo(RawSafetensors.bytesOf(t));
            assertThat(SafetensorsFile.open(file).tensor(name).data().address() % 8).isZero();
        }
        assertThat(unpaddedRemainders).as("every amount of padding was exercised").containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }
}
