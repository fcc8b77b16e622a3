package dev.t2.tasks;

import java.util.List;

/**
 * A task whose answers can be checked: its items per split, how to grade a completion, and how to decode.
 * The completion passed to {@link #check} is the generated text only, i.e. what follows the item's prefill.
 */
public interface Task {

    String name();

    /** The items of one split in a fixed order (empty when the task has none, e.g. a transfer task's TRAIN). */
    List<TaskItem> items(Split split);

    Verdict check(TaskItem item, String completion);

    int maxNewTokens();

    /** Generation stops before any of these strings. */
    List<String> stopStrings();
}
