package dev.t2.tasks;

/**
 * The outcome of checking one completion.
 *
 * @param correct   whether the completion earns the reward
 * @param extracted the answer read from the completion, or null when none could be read (always wrong)
 * @param detail    a short human-readable reason (what was compared, or why the code failed)
 */
public record Verdict(boolean correct, String extracted, String detail) {

    public static Verdict of(boolean correct, String extracted, String expected) {
        return new Verdict(correct, extracted, (correct ? "matches " : "differs from ") + expected);
    }

    /** No answer could be read: wrong, never a guess. */
    public static Verdict unparseable(String what) {
        return new Verdict(false, null, "no " + what + " found");
    }
}
