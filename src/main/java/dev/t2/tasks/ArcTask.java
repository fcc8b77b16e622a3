package dev.t2.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * ARC (AI2 Reasoning Challenge, science multiple choice). ARC-Easy: Train's even indices train, odd
 * validate (1126/1125), Test (2376) tests. ARC-Challenge is a transfer task: only its Test (1172).
 * Choices are shown as letters A, B, … by position, also for the questions labelled "1".."4" in the data,
 * because the system message asks for a letter. Checked by {@link AnswerCheck#CHOICE}.
 */
public final class ArcTask {
    private ArcTask() {}

    public static final int MAX_NEW_TOKENS = 512;

    public static Task easy(Path dataRoot) {
        Path dir = dataRoot.resolve("arc").resolve("ARC-Easy");
        List<TaskItem> train = items("arc-easy", dir.resolve("ARC-Easy-Train.jsonl"));
        Map<Split, List<TaskItem>> splits = new EnumMap<>(Split.class);
        List<TaskItem> even = new ArrayList<>(), odd = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) (i % 2 == 0 ? even : odd).add(train.get(i));
        splits.put(Split.TRAIN, even);
        splits.put(Split.VALID, odd);
        splits.put(Split.TEST, items("arc-easy", dir.resolve("ARC-Easy-Test.jsonl")));
        return new LoadedTask("arc-easy", splits, AnswerCheck.CHOICE, MAX_NEW_TOKENS, Prompts.STOP_STRINGS);
    }

    public static Task challenge(Path dataRoot) {
        Path file = dataRoot.resolve("arc").resolve("ARC-Challenge").resolve("ARC-Challenge-Test.jsonl");
        return new LoadedTask("arc-challenge", Map.of(Split.TEST, items("arc-challenge", file)), AnswerCheck.CHOICE,
                MAX_NEW_TOKENS, Prompts.STOP_STRINGS);
    }

    private static List<TaskItem> items(String name, Path file) {
        List<TaskItem> items = new ArrayList<>();
        List<JsonNode> rows = Jsonl.read(file);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String where = file + ":" + (i + 1);
            JsonNode question = row.get("question");
            if (question == null || !question.has("choices")) throw new IllegalArgumentException(where + ": missing question.choices");
            List<String> texts = new ArrayList<>(), labels = new ArrayList<>();
            for (JsonNode c : question.get("choices")) {
                texts.add(Jsonl.text(c, "text", where));
                labels.add(Jsonl.text(c, "label", where));
            }
            int answer = labels.indexOf(Jsonl.text(row, "answerKey", where).strip());
            if (answer < 0) throw new IllegalArgumentException(where + ": answerKey is not one of the labels " + labels);
            String stem = Jsonl.text(question, "stem", where);
            items.add(new TaskItem(name + "/" + Jsonl.text(row, "id", where), Prompts.ARC_SYSTEM,
                    Prompts.multipleChoice(stem, texts), Prompts.ARC_PREFILL, Prompts.letter(answer),
                    new CheckerInput.Choices(texts), ", the answer is (" + Prompts.letter(answer) + ")."));
        }
        return items;
    }
}
