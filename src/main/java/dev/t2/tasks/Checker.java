package dev.t2.tasks;

/** Grades one completion of one item. */
@FunctionalInterface
public interface Checker {
    Verdict check(TaskItem item, String completion);
}
