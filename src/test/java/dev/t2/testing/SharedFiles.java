package dev.t2.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The read-only shared data folder: {@code ../shared} next to the project root, or the {@code t2.shared} property. */
public final class SharedFiles {

    private SharedFiles() {}

    public static Path shared() {
        String property = System.getProperty("t2.shared");
        Path dir = (property != null && !property.isBlank() ? Path.of(property) : Path.of("..", "shared"))
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("shared data folder not found at " + dir
                    + " (expected ../shared beside the project root, or -Dt2.shared=<folder>)");
        }
        return dir;
    }

    /** A folder (or file) under {@code shared/hf}, e.g. {@code hf("gpt2")}. */
    public static Path hf(String name) {
        return shared().resolve("hf").resolve(name);
    }
}
