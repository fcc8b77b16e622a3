package dev.t2.tasks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The classification expert's data: questions labelled code (MBPP), math (GSM8K) or reasoning (ARC-Easy),
 * under the reference's classification prompt, checked by the first {@code \boxed{}} label.
 *
 * <p>Per class, 400 questions are drawn (seeded shuffle) from the source's TRAIN split, then VALID, then —
 * only where those run out — TEST. Unlike the reference, which drew from GSM8K test and ARC-Challenge test,
 * math and reasoning come only from training data; MBPP has just 300 non-test problems, so 100 code
 * questions come from MBPP's test split (their labels carry no solution). Each class's 400 split 4:1 into
 * TRAIN (320) and VALID (80). TEST holds 100 per class from the sources' test splits, none of them drawn above.
 */
public final class ClassificationTask {
    private ClassificationTask() {}

    public static final String NAME = "classification";
    public static final int PER_CLASS = 400;
    public static final int TEST_PER_CLASS = 100;
    public static final long SEED = 42;
    public static final int MAX_NEW_TOKENS = 1024;
    public static final List<String> LABELS = List.of("code", "math", "reasoning");

    public static Task load(Path dataRoot) {
        Map<String, Map<Split, List<TaskItem>>> sources = new LinkedHashMap<>();
        sources.put("code", MbppTask.splits(dataRoot));
        sources.put("math", splitsOf(Gsm8kTask.load(dataRoot)));
        sources.put("reasoning", splitsOf(ArcTask.easy(dataRoot)));
        PythonRandom random = new PythonRandom(SEED);
        Map<Split, List<TaskItem>> splits = new EnumMap<>(Split.class);
        for (Split s : Split.values()) splits.put(s, new ArrayList<>());
        int trainPerClass = PER_CLASS * 4 / 5;
        for (var source : sources.entrySet()) {
            String label = source.getKey();
            List<TaskItem> drawn = new ArrayList<>();
            for (Split from : Split.values()) drawn.addAll(shuffled(source.getValue().get(from), random));
            List<TaskItem> chosen = drawn.subList(0, Math.min(PER_CLASS, drawn.size()));
            if (chosen.size() < PER_CLASS) throw new IllegalStateException(label + ": only " + chosen.size() + " questions");
            Set<String> used = new HashSet<>();
            for (TaskItem it : chosen) used.add(it.id());
            for (int i = 0; i < chosen.size(); i++)
                splits.get(i < trainPerClass ? Split.TRAIN : Split.VALID).add(labelled(chosen.get(i), label));
            List<TaskItem> heldOut = shuffled(source.getValue().get(Split.TEST), random).stream()
                    .filter(it -> !used.contains(it.id())).limit(TEST_PER_CLASS).toList();
            for (TaskItem it : heldOut) splits.get(Split.TEST).add(labelled(it, label));
        }
        for (Split s : Split.values()) random.shuffle(splits.get(s)); // interleave the classes
        return new LoadedTask(NAME, splits, AnswerCheck.LABEL, MAX_NEW_TOKENS, Prompts.STOP_STRINGS);
    }

    private static TaskItem labelled(TaskItem source, String label) {
        return new TaskItem(NAME + "/" + source.id(), Prompts.CLASSIFICATION_SYSTEM, source.user(), "", label, CheckerInput.NONE);
    }

    private static List<TaskItem> shuffled(List<TaskItem> items, PythonRandom random) {
        List<TaskItem> copy = new ArrayList<>(items);
        random.shuffle(copy);
        return copy;
    }

    private static Map<Split, List<TaskItem>> splitsOf(Task task) {
        Map<Split, List<TaskItem>> m = new EnumMap<>(Split.class);
        for (Split s : Split.values()) m.put(s, task.items(s));
        return m;
    }
}
