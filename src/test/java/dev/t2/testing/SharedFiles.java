package dev.t2.testing;

import java.nio.file.Path;

/** Locates the read-only shared data: system property {@code t2.shared}, else {@code ../shared} from the project root. */
public final class SharedFiles {
    private SharedFiles() {}

    /** The shared folder (models, datasets, Hugging Face tokenizer files). */
    public static Path shared() {
        String configured = System.getProperty("t2.shared");
        return (configured != null ? Path.of(configured) : Path.of("..", "shared")).toAbsolutePath().normalize();
    }

    /** A folder of Hugging Face files under shared/hf, e.g. {@code hf("Qwen2.5-1.5B-Instruct")}. */
    public static Path hf(String name) {
        return shared().resolve("hf").resolve(name);
    }
}
