package dev.t2.tasks;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A task held in memory: items already loaded and split, one checker for all of them. */
public record LoadedTask(String name, Map<Split, List<TaskItem>> splits, Checker checker, int maxNewTokens,
                         List<String> stopStrings) implements Task {

    public LoadedTask {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(checker, "checker");
        EnumMap<Split, List<TaskItem>> copy = new EnumMap<>(Split.class);
        for (Split s : Split.values()) copy.put(s, List.copyOf(splits.getOrDefault(s, List.of())));
        splits = Collections.unmodifiableMap(copy);
        stopStrings = List.copyOf(stopStrings);
        if (maxNewTokens <= 0) throw new IllegalArgumentException("maxNewTokens must be positive, got " + maxNewTokens);
    }

    @Override
    public List<TaskItem> items(Split split) {
        return splits.get(split);
    }

    @Override
    public Verdict check(TaskItem item, String completion) {
        return checker.check(item, completion == null ? "" : completion);
    }
}
