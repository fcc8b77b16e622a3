package dev.t2.tasks;

import java.util.Locale;

/** Which part of a task's data: training rollouts, checkpoint selection, or reported scores. */
public enum Split {
    TRAIN, VALID, TEST;

    /** Parses "train", "valid"/"validation", "test" (any case). */
    public static Split parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "train" -> TRAIN;
            case "valid", "validation", "val", "dev" -> VALID;
            case "test" -> TEST;
            default -> throw new IllegalArgumentException("unknown split '" + s + "' (expected train, valid or test)");
        };
    }
}
