package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.tensor.Tensor;
import dev.t2.testing.SharedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded, deterministic corruptions of stories260K.bin (legacy) and its version 1 rewrite: truncations and
 * header fields set to zero, negative, huge and random values. Every outcome is a checkpoint whose every
 * weight reads, or a CheckpointException naming the file; never another exception, an Error or a hang.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Llama2cFuzzTest {
    static final long SEED = 0x11A3A2CL;
    static byte[] legacy;
    static byte[] version1;
    static Llama2cFiles.Legacy layout;

    @TempDir
    Path tmp;

    final FuzzOutcomes outcomes = new FuzzOutcomes();

    @BeforeAll
    static void readStories() throws IOException {
        legacy = Files.readAllBytes(SharedFiles.shared().resolve("models/stories260K/stories260K.bin"));
        layout = Llama2cFiles.parseLegacy(legacy);
        version1 = Llama2cFiles.version1(layout);
    }

    private void check(String what, Path file) {
        Llama2cCheckpoint.Loaded loaded = outcomes.open(what, file, null, () -> Llama2cCheckpoint.read(file));
        if (loaded == null) return;
        outcomes.readAll(what, file, null, () -> {
            List<Tensor> all = new ArrayList<>(loaded.weights().byName().values());
            all.add(loaded.weights().lmHead());
            return all;
        });
    }

    /** Header bytes are rewritten in place: the file keeps its size, so earlier (unused) mappings of it stay valid. */
    private static void overwrite(Path file, long position, byte[] bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] intLE(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** Truncates one copy in place from the longest length to the shortest (files only shrink, so no mapping is ever read past its end). */
    private void truncations(String name, byte[] full, TreeSet<Long> lengths) throws IOException {
        Path file = Files.write(tmp.resolve(name), full);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long len : lengths.descendingSet()) {
                ch.truncate(len);
                check(name + " truncated to " + len, file);
            }
        }
    }

    private static TreeSet<Long> interestingLengths(long headerEnd, List<Long> boundaries, long fullLength, Random rnd) {
        TreeSet<Long> lengths = new TreeSet<>();
        for (long len = 0; len <= headerEnd + 8; len++) lengths.add(len);
        for (long b : boundaries) for (long d = -5; d <= 5; d++) if (b + d >= 0 && b + d < fullLength) lengths.add(b + d);
        for (int i = 0; i < 60; i++) lengths.add((long) rnd.nextInt((int) fullLength));
        lengths.add(fullLength - 1);
        return lengths;
    }

    @Test
    void legacyTruncatedAnywhereIsRejected() throws IOException {
        TreeSet<Long> lengths = interestingLengths(28, layout.blockBoundaries(), legacy.length, new Random(SEED));
        truncations("legacy.bin", legacy, lengths);
        assertThat(outcomes.rejected).isEqualTo(lengths.size());
    }

    @Test
    void version1TruncatedAnywhereIsRejected() throws IOException {
        List<Long> boundaries = new ArrayList<>();
        long at = 256;
        for (byte[] b : new byte[][] {layout.attentionNorms(), layout.ffnNorms(), layout.finalNorm(), layout.embedding(),
                layout.wq(), layout.wk(), layout.wv(), layout.wo(), layout.w1(), layout.w2(), layout.w3()}) {
            boundaries.add(at);
            at += b.length;
        }
        TreeSet<Long> lengths = interestingLengths(256, boundaries, version1.length, new Random(SEED + 1));
        truncations("v1.bin", version1, lengths);
        assertThat(outcomes.rejected).isEqualTo(lengths.size());
    }

    static final int[] SPECIAL = {0, -1, -2, 1, 2, 3, 4, 5, 7, 8, 9, 16, 63, 65, 127, 128, 171, 173, 511, 513, 1024, 1025,
            1 << 16, (1 << 16) + 1, 1 << 20, Integer.MAX_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE, Integer.MIN_VALUE + 1,
            -512, -64, 0x616b3432};

    private void everyHeaderFieldSetToSpecialValues(String name, byte[] full, long firstField, int[] original) {
        Path file = tmp.resolve(name);
        try {
            Files.write(file, full);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] fields = {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "max_seq_len"};
        for (int f = 0; f < 7; f++) {
            TreeSet<Integer> values = new TreeSet<>();
            for (int v : SPECIAL) values.add(v);
            for (int d = -2; d <= 2; d++) values.add(original[f] + d);
            values.add(2 * original[f]);
            values.add(original[f] / 2);
            values.add(-original[f]);
            for (int v : values) {
                overwrite(file, firstField + 4L * f, intLE(v));
                check(name + " " + fields[f] + "=" + v, file);
            }
            overwrite(file, firstField + 4L * f, intLE(original[f]));
        }
    }

    @Test
    void headerFieldsSetToZeroNegativeAndHugeValues() {
        int[] original = {64, 172, 5, 8, 4, 512, 512};
        everyHeaderFieldSetToSpecialValues("legacy.bin", legacy, 0, original);
        everyHeaderFieldSetToSpecialValues("v1.bin", version1, 8, original);
        assertThat(outcomes.rejected).isPositive();
        assertThat(outcomes.accepted).isPositive(); // e.g. a shorter max_seq_len
    }

    @Test
    void version1VersionSharedFlagAndMagicReplaced() {
        Path file = tmp.resolve("v1.bin");
        try {
            Files.write(file, version1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int v : SPECIAL) {
            overwrite(file, 4, intLE(v));
            check("v1 version=" + v, file);
        }
        overwrite(file, 4, intLE(1));
        for (int b = 0; b < 256; b++) {
            overwrite(file, 36, new byte[] {(byte) b});
            check("v1 shared flag=" + b, file);
        }
        overwrite(file, 36, new byte[] {1});
        for (int v : SPECIAL) {
            overwrite(file, 0, intLE(v));
            check("v1 magic=" + v, file);
        }
        assertThat(outcomes.accepted).isPositive();
        assertThat(outcomes.rejected).isPositive();
    }

    private void randomHeaders(String name, byte[] full, long firstField, int[] original, Random rnd, int cases) {
        Path file = tmp.resolve(name);
        try {
            Files.write(file, full);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int c = 0; c < cases; c++) {
            int[] h = original.clone();
            StringBuilder what = new StringBuilder(name + " header");
            for (int f = 0; f < 7; f++) {
                h[f] = switch (rnd.nextInt(6)) {
                    case 0, 1 -> original[f];
                    case 2 -> 1 + rnd.nextInt(600);
                    case 3 -> rnd.nextInt(9) - 2;
                    case 4 -> SPECIAL[rnd.nextInt(SPECIAL.length)];
                    default -> rnd.nextInt();
                };
                what.append(' ').append(h[f]);
            }
            ByteBuffer header = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : h) header.putInt(v);
            overwrite(file, firstField, header.array());
            check(what.toString(), file);
        }
    }

    @Test
    void randomHeaderValues() {
        int[] original = {64, 172, 5, 8, 4, 512, 512};
        randomHeaders("legacy.bin", legacy, 0, original, new Random(SEED + 2), 1000);
        randomHeaders("v1.bin", version1, 8, original, new Random(SEED + 3), 1000);
        assertThat(outcomes.rejected).isPositive();
        assertThat(outcomes.accepted).isPositive();
    }

    @Test
    void randomByteFlipsInTheHeader() {
        Random rnd = new Random(SEED + 4);
        for (var variant : List.of(new Object[] {"legacy.bin", legacy, 28}, new Object[] {"v1.bin", version1, 40})) {
            String name = (String) variant[0];
            byte[] full = (byte[]) variant[1];
            int headerBytes = (int) variant[2];
            Path file = tmp.resolve(name);
            try {
                Files.write(file, full);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int c = 0; c < 500; c++) {
                byte[] header = java.util.Arrays.copyOf(full, headerBytes);
                StringBuilder what = new StringBuilder(name + " flips");
                for (int f = 1 + rnd.nextInt(3); f > 0; f--) {
                    int pos = rnd.nextInt(headerBytes);
                    header[pos] ^= (byte) (1 + rnd.nextInt(255));
                    what.append(' ').append(pos);
                }
                overwrite(file, 0, header);
                check(what.toString(), file);
            }
        }
        assertThat(outcomes.rejected).isPositive();
    }
}
