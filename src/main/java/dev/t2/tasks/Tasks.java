package dev.t2.tasks;

import java.nio.file.Path;
import java.util.List;

/** Finds tasks by name over a data directory laid out as the original datasets, or from a user's JSONL file. */
public final class Tasks {
    private Tasks() {}

    public static final List<String> NAMES = List.of(
            "gsm8k", "math", "math500", "arc-easy", "arc-challenge", "mbpp", "mbpp-sanitized", "humaneval", "classification");

    /**
     * Loads a built-in task.
     *
     * @param dataRoot the directory holding gsm8k/, math/, arc/, mbpp/ and humaneval/
     */
    public static Task byName(String name, Path dataRoot) {
        return byName(name, dataRoot, new PythonSandbox());
    }

    /** As {@link #byName(String, Path)}, with the sandbox that runs code tasks' tests. */
    public static Task byName(String name, Path dataRoot, PythonSandbox sandbox) {
        return switch (name) {
            case "gsm8k" -> Gsm8kTask.load(dataRoot);
            case "math" -> MathTask.full(dataRoot);
            case "math500" -> MathTask.math500(dataRoot);
            case "arc-easy" -> ArcTask.easy(dataRoot);
            case "arc-challenge" -> ArcTask.challenge(dataRoot);
            case "mbpp" -> MbppTask.load(dataRoot, sandbox);
            case "mbpp-sanitized" -> MbppTask.sanitized(dataRoot, sandbox);
            case "humaneval" -> HumanEvalTask.load(dataRoot, sandbox);
            case "classification" -> ClassificationTask.load(dataRoot);
            default -> {
                if (name.startsWith("synth-")) yield SyntheticTasks.byName(name);
                throw new IllegalArgumentException("unknown task '" + name + "'; known: " + String.join(", ", NAMES)
                    + ", " + String.join(", ", SyntheticTasks.NAMES) + ", or a .jsonl file");
            }
        };
    }

    /** A user's task from JSONL; see {@link JsonlTask} for the format. */
    public static Task fromJsonl(Path file) {
        return JsonlTask.load(file);
    }
}
