package dev.t2.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HumanEval (164 hand-written Python functions), a transfer task: all TEST. The program is the completion
 * (after the function's prompt when the completion is only a body), the dataset's {@code test} and
 * {@code check(entry_point)}. The reference answer is prompt + canonical solution.
 */
public final class HumanEvalTask {
    private HumanEvalTask() {}

    public static final int MAX_NEW_TOKENS = 512;

    public static Task load(Path dataRoot, PythonSandbox sandbox) {
        Path file = dataRoot.resolve("humaneval").resolve("HumanEval.jsonl");
        List<JsonNode> rows = Jsonl.read(file);
        List<TaskItem> items = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String where = file + ":" + (i + 1);
            String prompt = Jsonl.text(row, "prompt", where);
            String entry = Jsonl.text(row, "entry_point", where);
            String tests = Jsonl.text(row, "test", where) + "\n\ncheck(" + entry + ")\n";
            items.add(new TaskItem(Jsonl.text(row, "task_id", where), Prompts.CODE_SYSTEM, Prompts.codeInstruction(prompt),
                    Prompts.CODE_PREFILL, prompt + Jsonl.text(row, "canonical_solution", where),
                    new CheckerInput.CodeTests(prompt, entry, tests)));
        }
        return new LoadedTask("humaneval", Map.of(Split.TEST, items), new CodeCheck(sandbox), MAX_NEW_TOKENS, Prompts.STOP_STRINGS);
    }
}
