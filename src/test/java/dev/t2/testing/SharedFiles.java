package dev.t2.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the read-only shared files (models, tokenizers, data): system property t2.shared, else ../shared. */
public final class SharedFiles {
    private SharedFiles() {}

    public static Path shared() {
        String prop = System.getProperty("t2.shared");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "shared");
        if (!Files.isDirectory(p)) throw new IllegalStateException("shared files not found at " + p.toAbsolutePath());
        return p;
    }

    public static Path hf(String name) {
        return shared().resolve("hf").resolve(name);
    }
}
