package dev.t2.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A user's task from a JSONL file, no Java needed. Each line is an item:
 * <pre>{"prompt": "What is 6 × 7?", "answer": "42"}</pre>
 * with optional {@code "checker"} (exact, number, choice, boxed, label), {@code "id"}, {@code "system"},
 * {@code "prefill"}, {@code "choices"} (a list; shown as "A. …" options, answer = letter or choice text) and
 * {@code "split"} (train, valid or test). A first line without "prompt" is a header giving defaults for
 * every item — {@code "checker"}, {@code "system"}, {@code "prefill"}, {@code "split"} — and the task's
 * {@code "name"} (default: the file name), {@code "max_new_tokens"} (512) and {@code "stop"} (the reference's).
 * Items without a split are TEST.
 */
public final class JsonlTask {
    private JsonlTask() {}

    public static final int DEFAULT_MAX_NEW_TOKENS = 512;

    public static Task load(Path file) {
        List<String> lines = Jsonl.lines(file);
        JsonNode header = null;
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".jsonl") ? fileName.substring(0, fileName.length() - 6) : fileName;
        int maxNewTokens = DEFAULT_MAX_NEW_TOKENS;
        List<String> stops = Prompts.STOP_STRINGS;
        Map<Split, List<TaskItem>> splits = new EnumMap<>(Split.class);
        Map<String, AnswerCheck> checkers = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String where = file + ":" + (i + 1);
            JsonNode row = Jsonl.parse(lines.get(i), where);
            if (header == null && checkers.isEmpty() && !row.has("prompt")) {
                header = row;
                if (row.hasNonNull("name")) name = row.get("name").asText();
                if (row.hasNonNull("max_new_tokens")) maxNewTokens = row.get("max_new_tokens").asInt();
                if (row.has("stop")) stops = Jsonl.texts(row.get("stop"));
                continue;
            }
            String id = field(row, header, "id", name + "/" + (i + 1));
            String checkerName = field(row, header, "checker", null);
            if (checkerName == null)
                throw new IllegalArgumentException(where + ": no checker; give \"checker\" (exact, number, choice, boxed, label)"
                        + " on the first line or in the item");
            AnswerCheck checker = AnswerCheck.byId(checkerName);
            String prompt = Jsonl.text(row, "prompt", where);
            String answer = Jsonl.text(row, "answer", where);
            CheckerInput input = CheckerInput.NONE;
            if (row.has("choices")) {
                List<String> choices = Jsonl.texts(row.get("choices"));
                prompt = Prompts.multipleChoice(prompt, choices);
                answer = choiceLetter(answer, choices, where);
                input = new CheckerInput.Choices(choices);
            }
            Split split = Split.parse(field(row, header, "split", "test"));
            if (checkers.put(id, checker) != null) throw new IllegalArgumentException(where + ": duplicate id " + id);
            splits.computeIfAbsent(split, s -> new ArrayList<>()).add(new TaskItem(id, field(row, header, "system", ""),
                    prompt, field(row, header, "prefill", ""), answer, input));
        }
        if (checkers.isEmpty()) throw new IllegalArgumentException(file + ": no items (lines with \"prompt\" and \"answer\")");
        Checker byItem = (item, completion) -> {
            AnswerCheck c = checkers.get(item.id());
            if (c == null) throw new IllegalArgumentException("item " + item.id() + " is not part of task " + file);
            return c.check(item, completion);
        };
        return new LoadedTask(name, splits, byItem, maxNewTokens, stops);
    }

    /** The item's value, else the header's, else the fallback. */
    private static String field(JsonNode row, JsonNode header, String key, String fallback) {
        if (row.hasNonNull(key)) return row.get(key).asText();
        if (header != null && header.hasNonNull(key)) return header.get(key).asText();
        return fallback;
    }

    private static String choiceLetter(String answer, List<String> choices, String where) {
        String a = answer.strip();
        if (a.length() == 1) {
            int index = Character.toUpperCase(a.charAt(0)) - 'A';
            if (index >= 0 && index < choices.size()) return Prompts.letter(index);
        }
        for (int i = 0; i < choices.size(); i++) if (choices.get(i).strip().equalsIgnoreCase(a)) return Prompts.letter(i);
        throw new IllegalArgumentException(where + ": answer '" + answer + "' is neither a choice letter nor a choice text"
                + " (choices " + choices.toString().toLowerCase(Locale.ROOT) + ")");
    }
}
