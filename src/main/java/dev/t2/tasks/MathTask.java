package dev.t2.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MATH (competition mathematics), a transfer task: all of {@code MATH-test.jsonl} (5000) or the MATH-500
 * subset, as TEST. The reference answer is the file's "answer" field when present (MATH-500), else the
 * last {@code \boxed{}} of the solution. Checked by {@link AnswerCheck#BOXED}.
 */
public final class MathTask {
    private MathTask() {}

    public static final int MAX_NEW_TOKENS = 1024;

    public static Task full(Path dataRoot) {
        return load("math", dataRoot.resolve("math").resolve("MATH-test.jsonl"));
    }

    public static Task math500(Path dataRoot) {
        return load("math500", dataRoot.resolve("math").resolve("MATH500-test.jsonl"));
    }

    private static Task load(String name, Path file) {
        List<JsonNode> rows = Jsonl.read(file);
        List<TaskItem> items = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String where = file + ":" + (i + 1);
            String answer = row.hasNonNull("answer") ? row.get("answer").asText()
                    : MathAnswer.lastBoxed(Jsonl.text(row, "solution", where));
            if (answer == null) throw new IllegalArgumentException(where + ": solution has no \\boxed{} answer");
            String solution = row.hasNonNull("solution") ? row.get("solution").asText() : "\\boxed{" + answer + "}";
            items.add(new TaskItem(name + "/test/" + i, Prompts.MATH_SYSTEM, Jsonl.text(row, "problem", where), "",
                    answer, CheckerInput.NONE, solution));
        }
        return new LoadedTask(name, Map.of(Split.TEST, items), AnswerCheck.BOXED, MAX_NEW_TOKENS, Prompts.STOP_STRINGS);
    }
}
