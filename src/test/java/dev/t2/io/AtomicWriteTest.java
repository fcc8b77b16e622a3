package dev.t2.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails midway leaves the target as it was (or absent) and no temp file in the directory. */
class AtomicWriteTest {
    @TempDir
    Path dir;

    /** Larger than the writer's 64 KiB buffer, so real bytes reach the temp file before the failure. */
    private static Tensor big(String name) {
        return RawSafetensors.randomBits(name, DType.F32, new Random(3), 64, 1024);
    }

    /** A tensor whose memory is already freed: copying it throws IllegalStateException mid-write. */
    private static Tensor unreadable(String name) {
        MemorySegment freed;
        try (Arena arena = Arena.ofShared()) {
            freed = arena.allocate(16);
        }
        return new Tensor(name, DType.F32, new long[] {4}, freed);
    }

    private List<String> filesInDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aTensorFailingMidwayLeavesTheExistingFileUnchanged() throws Exception {
        Path target = dir.resolve("model.safetensors");
        SafetensorsWriter.write(target, Map.of("old", Tensor.ofFloats("old", new float[] {1, 2}, 2)), Map.of("v", "1"));
        byte[] before = Files.readAllBytes(target);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("first", big("first"));
        tensors.put("broken", unreadable("broken"));

        assertThatThrownBy(() -> SafetensorsWriter.write(target, tensors, Map.of("v", "2"))).isInstanceOf(IllegalStateException.class);

        assertThat(Files.readAllBytes(target)).isEqualTo(before);
        assertThat(filesInDir()).containsExactly("model.safetensors");
        assertThat(SafetensorsFile.open(target).metadata()).containsEntry("v", "1");
    }

    @Test
    void aTensorFailingMidwayLeavesNoFileWhenThereWasNone() throws Exception {
        Path target = dir.resolve("model.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("first", big("first"));
        tensors.put("broken", unreadable("broken"));

        assertThatThrownBy(() -> SafetensorsWriter.write(target, tensors, Map.of())).isInstanceOf(IllegalStateException.class);

        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void anIOExceptionFromTheBodyNamesTheTargetAndCleansUp() throws Exception {
        Path target = dir.resolve("index.json");
        Files.writeString(target, "old");
        List<List<String>> seenDuringWrite = new java.util.ArrayList<>();

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[200_000]);
            out.flush();
            seenDuringWrite.add(filesInDir());
            throw new IOException("disk full");
        })).isInstanceOf(UncheckedIOException.class).hasMessageContainingAll(target.toString(), "disk full");

        // the partial bytes went to a temp file beside the target, never to the target itself
        assertThat(seenDuringWrite.getFirst()).hasSize(2).contains("index.json");
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(filesInDir()).containsExactly("index.json");
    }

    @Test
    void aSuccessfulWriteReplacesTheFileAndLeavesNoTempFile() throws Exception {
        Path target = dir.resolve("sub").resolve("notes.txt");
        AtomicFiles.writeString(target, "first");
        AtomicFiles.writeString(target, "second");
        assertThat(Files.readString(target)).isEqualTo("second");
        try (Stream<Path> s = Files.list(target.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("notes.txt");
        }
    }
}
