package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded, deterministic mutations of a valid safetensors file: every outcome is a file that opens and reads
 * element by element, or a CheckpointException naming the file; never another exception, an Error or a hang.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SafetensorsFuzzTest {
    static final long SEED = 0x5AFE7E45L;

    @TempDir
    Path tmp;

    byte[] valid;
    int dataStart;
    final FuzzOutcomes outcomes = new FuzzOutcomes();

    @BeforeEach
    void writeValidFile() throws Exception {
        Random rnd = new Random(SEED);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("model.embed_tokens.weight", RawSafetensors.randomBits("model.embed_tokens.weight", DType.F32, rnd, 4, 3));
        tensors.put("model.norm.weight", RawSafetensors.randomBits("model.norm.weight", DType.BF16, rnd, 3));
        tensors.put("empty", RawSafetensors.randomBits("empty", DType.BF16, rnd, 0, 4));
        tensors.put("lm_head.bias", RawSafetensors.randomBits("lm_head.bias", DType.F16, rnd, 5));
        tensors.put("scale", RawSafetensors.randomBits("scale", DType.F32, rnd));
        Path file = tmp.resolve("valid.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));
        valid = Files.readAllBytes(file);
        dataStart = Math.toIntExact(8 + RawSafetensors.headerLength(valid));
        check("the valid file", valid);
        assertThat(outcomes.accepted).isEqualTo(1);
        outcomes.accepted = 0;
    }

    /** Parses the bytes in memory (the same code path as a mapped file, without the file system). */
    private void check(String what, byte[] bytes) {
        Path name = Path.of("fuzz", what.replaceAll("[^A-Za-z0-9_.-]", "_") + ".safetensors");
        SafetensorsFile f = outcomes.open(what, name, bytes, () -> SafetensorsFile.parse(name, MemorySegment.ofArray(bytes)));
        if (f != null) outcomes.readAll(what, name, bytes, () -> f.names().stream().map(f::tensor).toList());
    }

    /** Writes the bytes to a file and opens it through the memory mapping. */
    private void checkFile(String what, byte[] bytes) throws Exception {
        Path file = Files.write(tmp.resolve("case.safetensors"), bytes);
        SafetensorsFile f = outcomes.open(what, file, bytes, () -> SafetensorsFile.open(file));
        if (f != null) outcomes.readAll(what, file, bytes, () -> f.names().stream().map(f::tensor).toList());
    }

    @Test
    void truncationAtEveryLengthIsRejected() throws Exception {
        for (int len = 0; len < valid.length; len++) checkFile("truncated to " + len, Arrays.copyOf(valid, len));
        assertThat(outcomes.rejected).as("every strict prefix").isEqualTo(valid.length);
        assertThat(outcomes.accepted).isZero();
        // bytes beyond the last tensor are rejected, as the reference implementation does
        Random rnd = new Random(SEED);
        for (int extra : new int[] {1, 7, 8, 1000}) {
            byte[] longer = Arrays.copyOf(valid, valid.length + extra);
            for (int i = valid.length; i < longer.length; i++) longer[i] = (byte) rnd.nextInt();
            checkFile("extended by " + extra, longer);
        }
        assertThat(outcomes.accepted).isZero();
        assertThat(outcomes.rejected).isEqualTo(valid.length + 4);
    }

    @Test
    void everySingleBitFlipInTheLengthFieldAndHeader() {
        for (int pos = 0; pos < dataStart; pos++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] b = valid.clone();
                b[pos] ^= (byte) (1 << bit);
                check("bit " + bit + " of byte " + pos + " flipped", b);
            }
        }
        assertThat(outcomes.rejected).isPositive();
        assertThat(outcomes.accepted).isPositive(); // e.g. flips inside tensor names or the padding
    }

    @Test
    void randomByteFlipsAnywhere() {
        Random rnd = new Random(SEED + 1);
        for (int c = 0; c < 1500; c++) {
            byte[] b = valid.clone();
            int flips = 1 + rnd.nextInt(4);
            boolean headerOnly = rnd.nextBoolean();
            StringBuilder what = new StringBuilder("random flips");
            for (int f = 0; f < flips; f++) {
                int pos = rnd.nextInt(headerOnly ? dataStart : b.length);
                b[pos] ^= (byte) (1 + rnd.nextInt(255));
                what.append(' ').append(pos);
            }
            check(what.toString(), b);
        }
        assertThat(outcomes.rejected).isPositive();
        assertThat(outcomes.accepted).isPositive();
    }

    @Test
    void flipsInTheDataSectionNeverMakeTheFileUnreadable() {
        Random rnd = new Random(SEED + 2);
        for (int c = 0; c < 300; c++) {
            byte[] b = valid.clone();
            for (int f = 0; f < 8; f++) b[dataStart + rnd.nextInt(b.length - dataStart)] = (byte) rnd.nextInt();
            check("data flips case " + c, b);
        }
        assertThat(outcomes.accepted).isEqualTo(300);
    }

    @Test
    void headerLengthFieldSetToAnyValue() {
        long real = dataStart - 8;
        List<Long> values = new ArrayList<>(List.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -(1L << 32), -8L, -1L, 0L, 1L, 2L, 7L,
                (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, 0xFFFFFFFFL, (1L << 32) + real, real | Long.MIN_VALUE,
                100L << 20, (100L << 20) + 1, Long.MAX_VALUE, (long) valid.length - 8, (long) valid.length - 7, (long) valid.length));
        for (long v = 0; v <= dataStart + 16; v++) values.add(v);
        Random rnd = new Random(SEED + 3);
        for (int i = 0; i < 300; i++) values.add(rnd.nextLong());
        for (long v : values) {
            byte[] b = valid.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
            check("header length " + v, b);
        }
        assertThat(outcomes.accepted).isPositive(); // the real length, and lengths that only drop padding
        assertThat(outcomes.rejected).isGreaterThan(values.size() - 20);
    }

    static final Pattern NUMBER = Pattern.compile("-?\\d+");
    static final String[] NUMBER_REPLACEMENTS = {"-1", "0", "1", "3", "8", "4294967296", "9223372036854775807", "-9223372036854775808",
            "9223372036854775808", "99999999999999999999999999", "1e3", "1.5", "-0", "1e400", "null", "\"8\"", "[]", "{}", "true"};
    static final String[] DTYPES = {"F32", "F16", "BF16", "F64", "I64", "I32", "U8", "BOOL", "F8_E4M3", "", "f32", "Q4_0", "F32 "};
    static final String JSON_CHARS = "{}[]\":,0123456789-+.eE \\u\n\u00e9";

    @Test
    void randomJsonEditsOfTheHeader() {
        String header = RawSafetensors.headerText(valid).stripTrailing();
        Random rnd = new Random(SEED + 4);
        for (int c = 0; c < 2500; c++) {
            String h = header;
            StringBuilder what = new StringBuilder("json edit " + c + ":");
            for (int ops = 1 + rnd.nextInt(3); ops > 0; ops--) {
                int op = rnd.nextInt(8);
                what.append(' ').append(op);
                h = switch (op) {
                    case 0 -> replaceRandomMatch(h, Pattern.compile("\\d"), rnd, String.valueOf(rnd.nextInt(10)));
                    case 1 -> replaceRandomMatch(h, NUMBER, rnd, NUMBER_REPLACEMENTS[rnd.nextInt(NUMBER_REPLACEMENTS.length)]);
                    case 2 -> replaceRandomMatch(h, Pattern.compile("\"(F32|F16|BF16)\""), rnd, "\"" + DTYPES[rnd.nextInt(DTYPES.length)] + "\"");
                    case 3 -> h.isEmpty() ? h : deleteAt(h, rnd.nextInt(h.length()));
                    case 4 -> insertAt(h, rnd.nextInt(h.length() + 1), JSON_CHARS.charAt(rnd.nextInt(JSON_CHARS.length())));
                    case 5 -> duplicateSpan(h, rnd);
                    case 6 -> replaceRandomMatch(h, Pattern.compile("\\[[^\\[\\]]*\\]"), rnd, randomArray(rnd));
                    default -> h.substring(0, rnd.nextInt(h.length() + 1)) + (rnd.nextBoolean() ? "}" : "");
                };
            }
            byte[] hb = h.getBytes(StandardCharsets.UTF_8);
            byte[] data = Arrays.copyOfRange(valid, dataStart, valid.length);
            if (rnd.nextInt(8) == 0) data = Arrays.copyOf(data, rnd.nextInt(data.length + 16));
            check(what.toString(), RawSafetensors.bytes(hb.length, hb, data));
        }
        assertThat(outcomes.rejected).isPositive();
        assertThat(outcomes.accepted).isPositive();
    }

    @Test
    void pathologicalHeaders() {
        byte[] data = Arrays.copyOfRange(valid, dataStart, valid.length);
        StringBuilder manyEmpty = new StringBuilder("{");
        for (int i = 0; i < 20_000; i++) manyEmpty.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        manyEmpty.append('}');
        String[] headers = {
                "[".repeat(100_000), "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000), "\"" + "x".repeat(30_000_000) + "\"",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(200_000) + "1],\"data_offsets\":[0,4]}}",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1" + "0".repeat(5000) + "],\"data_offsets\":[0,4]}}",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[0, 9223372036854775807],\"data_offsets\":[0,0]}}",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[3037000500, 3037000500],\"data_offsets\":[0,0]}}",
                "{\"w\":{\"dtype\":\"F64\",\"shape\":[1152921504606846976, 2],\"data_offsets\":[0,0]}}",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[4,8]}}",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.9],\"data_offsets\":[0.5,4.2]}}",
                "\uFEFF{}", "{}\u0000\u0000", "{} trailing", "{\"__metadata__\":{\"a\":{\"b\":[1,2]}}}", "{\"__metadata__\":null}",
                "{\"\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", manyEmpty.toString(),
        };
        for (int i = 0; i < headers.length; i++) check("pathological header " + i, RawSafetensors.bytes(headers[i], data));
        check("invalid UTF-8", RawSafetensors.bytes(6, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, data));
        assertThat(outcomes.accepted + outcomes.rejected).isEqualTo(headers.length + 1);
    }

    private static String replaceRandomMatch(String s, Pattern p, Random rnd, String replacement) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) spans.add(new int[] {m.start(), m.end()});
        if (spans.isEmpty()) return s;
        int[] span = spans.get(rnd.nextInt(spans.size()));
        return s.substring(0, span[0]) + replacement + s.substring(span[1]);
    }

    private static String deleteAt(String s, int i) {
        return s.substring(0, i) + s.substring(i + 1);
    }

    private static String insertAt(String s, int i, char c) {
        return s.substring(0, i) + c + s.substring(i);
    }

    private static String duplicateSpan(String s, Random rnd) {
        int a = rnd.nextInt(s.length() + 1), b = rnd.nextInt(s.length() + 1);
        int from = Math.min(a, b), to = Math.max(a, b);
        return s.substring(0, to) + s.substring(from, to) + s.substring(to);
    }

    private static String randomArray(Random rnd) {
        StringBuilder sb = new StringBuilder("[");
        for (int n = rnd.nextInt(4), i = 0; i < n; i++) {
            if (i > 0) sb.append(',');
            sb.append(rnd.nextInt(4) == 0 ? NUMBER_REPLACEMENTS[rnd.nextInt(NUMBER_REPLACEMENTS.length)] : String.valueOf(rnd.nextInt(80)));
        }
        return sb.append(']').toString();
    }
}
