package dev.t2.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * MBPP (Mostly Basic Python Problems). As the reference: the first 300 problems in file order, shuffled as
 * Python's {@code random.seed(16); random.shuffle(...)} does (reproduced exactly by {@link PythonRandom}),
 * give 200 TRAIN and 100 VALID; every later problem is TEST. The base tests ({@code test_list}, after
 * {@code test_setup_code}) decide; {@code challenge_test_list} is not used.
 * <p>{@code mbpp.jsonl} holds all 974 problems (674 test). The reference used MBPP+, built on the
 * hand-verified "sanitized" subset; {@link #sanitized} loads {@code sanitized-mbpp.json} (427, 127 test) the same way.
 */
public final class MbppTask {
    private MbppTask() {}

    public static final int MAX_NEW_TOKENS = 512;
    public static final long SPLIT_SEED = 16;
    public static final int TRAIN_SIZE = 200;
    public static final int VALID_SIZE = 100;

    public static Task load(Path dataRoot, PythonSandbox sandbox) {
        return new LoadedTask("mbpp", splits(dataRoot), new CodeCheck(sandbox), MAX_NEW_TOKENS, Prompts.STOP_STRINGS);
    }

    public static Task sanitized(Path dataRoot, PythonSandbox sandbox) {
        Path file = dataRoot.resolve("mbpp").resolve("sanitized-mbpp.json");
        JsonNode rows = Jsonl.readJson(file);
        if (!rows.isArray()) throw new IllegalArgumentException(file + ": expected a JSON array of problems");
        List<TaskItem> items = new ArrayList<>();
        for (JsonNode row : rows) {
            String where = file + " task " + row.path("task_id").asText("?");
            String setup = String.join("\n", Jsonl.texts(row.get("test_imports")));
            items.add(item("mbpp-sanitized", row, Jsonl.text(row, "prompt", where), setup, where));
        }
        return new LoadedTask("mbpp-sanitized", split(items), new CodeCheck(sandbox), MAX_NEW_TOKENS, Prompts.STOP_STRINGS);
    }

    /** The items of {@code mbpp.jsonl}, split; no sandbox needed (the classification task reuses the prompts). */
    public static Map<Split, List<TaskItem>> splits(Path dataRoot) {
        Path file = dataRoot.resolve("mbpp").resolve("mbpp.jsonl");
        List<JsonNode> rows = Jsonl.read(file);
        List<TaskItem> items = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String where = file + ":" + (i + 1);
            String setup = row.hasNonNull("test_setup_code") ? row.get("test_setup_code").asText() : "";
            items.add(item("mbpp", row, Jsonl.text(row, "text", where), setup, where));
        }
        return split(items);
    }

    /** First 300 shuffled with seed 16 → 200 train + 100 valid; the rest, in file order, test. */
    static Map<Split, List<TaskItem>> split(List<TaskItem> items) {
        int head = TRAIN_SIZE + VALID_SIZE;
        if (items.size() < head) throw new IllegalArgumentException("MBPP needs at least " + head + " problems, got " + items.size());
        List<Integer> order = new ArrayList<>(IntStream.range(0, head).boxed().toList());
        new PythonRandom(SPLIT_SEED).shuffle(order);
        Map<Split, List<TaskItem>> splits = new EnumMap<>(Split.class);
        splits.put(Split.TRAIN, order.subList(0, TRAIN_SIZE).stream().map(items::get).toList());
        splits.put(Split.VALID, order.subList(TRAIN_SIZE, head).stream().map(items::get).toList());
        splits.put(Split.TEST, items.subList(head, items.size()));
        return splits;
    }

    private static TaskItem item(String name, JsonNode row, String text, String setup, String where) {
        List<String> asserts = Jsonl.texts(row.get("test_list"));
        if (asserts.isEmpty()) throw new IllegalArgumentException(where + ": no test_list");
        // the first test shows the expected function name and signature, as MBPP+ prompts do
        String problem = text.strip() + "\n" + asserts.getFirst();
        String tests = (setup.isBlank() ? "" : setup.strip() + "\n") + String.join("\n", asserts) + "\n";
        String code = Jsonl.text(row, "code", where).replace("\r\n", "\n");
        return new TaskItem(name + "/" + Jsonl.text(row, "task_id", where), Prompts.CODE_SYSTEM, Prompts.codeInstruction(problem),
                Prompts.CODE_PREFILL, code, new CheckerInput.CodeTests("", "", tests));
    }
}
