package dev.t2.tasks;

import java.math.BigDecimal;
import java.util.Locale;

/** The answer checkers a task can name (also in a user's JSONL task): how to read and compare an answer. */
public enum AnswerCheck implements Checker {

    /** The whole completion equals the answer, ignoring case, surrounding whitespace and a final period. */
    EXACT("exact") {
        @Override
        public Verdict check(TaskItem item, String completion) {
            String got = plain(completion);
            if (got.isEmpty()) return Verdict.unparseable("answer");
            return Verdict.of(got.equalsIgnoreCase(plain(item.answer())), got, item.answer());
        }
    },

    /** The last number in the completion equals the answer's number by value (see {@link NumberAnswer}). */
    NUMBER("number") {
        @Override
        public Verdict check(TaskItem item, String completion) {
            BigDecimal got = NumberAnswer.last(completion);
            if (got == null) return Verdict.unparseable("number");
            BigDecimal expected = NumberAnswer.reference(item.answer());
            return Verdict.of(NumberAnswer.equal(got, expected), NumberAnswer.format(got), item.answer());
        }
    },

    /** The chosen letter (see {@link ChoiceAnswer}) equals the answer letter. */
    CHOICE("choice") {
        @Override
        public Verdict check(TaskItem item, String completion) {
            int choices = item.input() instanceof CheckerInput.Choices c ? c.texts().size() : 26;
            String got = ChoiceAnswer.extract(completion, choices);
            if (got == null) return Verdict.unparseable("choice letter");
            return Verdict.of(got.equals(item.answer().strip().toUpperCase(Locale.ROOT)), got, item.answer());
        }
    },

    /** The final math answer (see {@link MathAnswer}) is equivalent to the answer (see {@link MathEquivalence}). */
    BOXED("boxed") {
        @Override
        public Verdict check(TaskItem item, String completion) {
            String got = MathAnswer.extract(completion);
            if (got == null) return Verdict.unparseable("final answer");
            return Verdict.of(MathEquivalence.equivalent(got, item.answer()), got, item.answer());
        }
    },

    /** The first {@code \boxed{…}} holds the answer label (the classification expert's output). */
    LABEL("label") {
        @Override
        public Verdict check(TaskItem item, String completion) {
            String boxed = MathAnswer.firstBoxed(completion);
            if (boxed == null) return Verdict.unparseable("\\boxed{} label");
            String got = MathEquivalence.normalize(boxed).toLowerCase(Locale.ROOT);
            return Verdict.of(got.equals(item.answer().strip().toLowerCase(Locale.ROOT)), got, item.answer());
        }
    };

    private final String id;

    AnswerCheck(String id) {
        this.id = id;
    }

    /** The name used in JSONL task files. */
    public String id() {
        return id;
    }

    public static AnswerCheck byId(String id) {
        for (AnswerCheck c : values()) if (c.id.equalsIgnoreCase(id.strip())) return c;
        throw new IllegalArgumentException("unknown checker '" + id + "' (expected exact, number, choice, boxed or label)");
    }

    private static String plain(String s) {
        String t = s.strip();
        while (t.endsWith(".")) t = t.substring(0, t.length() - 1).strip();
        return t;
    }
}
