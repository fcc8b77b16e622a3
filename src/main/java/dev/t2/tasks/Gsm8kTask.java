package dev.t2.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * GSM8K (grade-school math word problems, {@code gsm8k/train.jsonl} and {@code test.jsonl}): train.jsonl's
 * even indices train, odd indices validate (3737/3736), test.jsonl (1319) tests. Checked by {@link AnswerCheck#NUMBER}.
 */
public final class Gsm8kTask {
    private Gsm8kTask() {}

    public static final String NAME = "gsm8k";
    public static final int MAX_NEW_TOKENS = 512;

    public static Task load(Path dataRoot) {
        Path dir = dataRoot.resolve("gsm8k");
        Map<Split, List<TaskItem>> splits = new EnumMap<>(Split.class);
        List<JsonNode> train = Jsonl.read(dir.resolve("train.jsonl"));
        List<TaskItem> even = new ArrayList<>(), odd = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) (i % 2 == 0 ? even : odd).add(item("train/" + i, train.get(i), dir));
        splits.put(Split.TRAIN, even);
        splits.put(Split.VALID, odd);
        List<JsonNode> test = Jsonl.read(dir.resolve("test.jsonl"));
        List<TaskItem> testItems = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) testItems.add(item("test/" + i, test.get(i), dir));
        splits.put(Split.TEST, testItems);
        return new LoadedTask(NAME, splits, AnswerCheck.NUMBER, MAX_NEW_TOKENS, Prompts.STOP_STRINGS);
    }

    private static TaskItem item(String id, JsonNode row, Path dir) {
        String where = dir + " " + id;
        String solution = Jsonl.text(row, "answer", where);
        var number = NumberAnswer.reference(solution);
        if (number == null) throw new IllegalArgumentException(where + ": no final number after ####");
        // the worked solution without the <<a*b=c>> calculator annotations, ending "#### n" (the last number is the answer)
        return new TaskItem(NAME + "/" + id, Prompts.GSM8K_SYSTEM, Jsonl.text(row, "question", where), "",
                NumberAnswer.format(number), CheckerInput.NONE, solution.replaceAll("<<[^>]*>>", ""));
    }
}
