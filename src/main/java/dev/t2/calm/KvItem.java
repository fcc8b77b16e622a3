package dev.t2.calm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One chain of the key-value miniature: 3–6 operands (keys or numbers, all as long as the repository's keys) joined by + − ×, and
 * the digit expected right after each operand. {@link #steps()} are what a reader is fed before each answer.
 */
public record KvItem(KvTask task, List<String> operands, int[] operators, int[] answers) {
    public static final int MIN_OPERANDS = 3, MAX_OPERANDS = 6;

    /** A random chain of this task; keys are drawn from {@code keys} (ignored for NUMERIC). */
    public static KvItem random(KvTask task, KvRepository repository, List<String> keys, Random rnd) {
        int n = MIN_OPERANDS + rnd.nextInt(MAX_OPERANDS - MIN_OPERANDS + 1), length = repository.operandLength();
        List<String> operands = new ArrayList<>();
        int[] operators = new int[n];
        for (int k = 0; k < n; k++) {
            operands.add(task == KvTask.NUMERIC ? randomNumber(length, rnd) : keys.get(rnd.nextInt(keys.size())));
            operators[k] = k == 0 ? -1 : new int[] {KvVocabulary.PLUS, KvVocabulary.MINUS, KvVocabulary.TIMES}[rnd.nextInt(3)];
        }
        return new KvItem(task, List.copyOf(operands), operators, answers(task, operands, operators, repository));
    }

    private static String randomNumber(int length, Random rnd) {
        return String.format("%0" + length + "d", rnd.nextInt((int) Math.pow(10, length)));
    }

    /**
     * The same operands and operators as a chain of {@code other}: its marker, and its answers (each operand's value for
     * SUBSTITUTION, else the running result). A number's value is its last digit, a key's the repository's.
     */
    public KvItem as(KvTask other, KvRepository repository) {
        return new KvItem(other, operands, operators, answers(other, operands, operators, repository));
    }

    /**
     * This chain with each operand replaced, with probability {@code share}, by a random number as long as the keys, the
     * answers recomputed: how a reader that knows what numerals say (as any pretrained model does) is trained to read them.
     */
    public KvItem withNumerals(double share, KvRepository repository, Random rnd) {
        if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException("share of numerals must be in [0, 1], got " + share);
        int length = repository.operandLength();
        List<String> mixed = new ArrayList<>(operands);
        for (int k = 0; k < mixed.size(); k++) {
            if (rnd.nextDouble() < share) mixed.set(k, randomNumber(length, rnd));
        }
        return new KvItem(task, List.copyOf(mixed), operators, answers(task, mixed, operators, repository));
    }

    /** An operand's value: a number's last digit, a key's value in the repository. */
    private static int value(String operand, KvRepository repository) {
        return Character.isDigit(operand.charAt(0)) ? operand.charAt(operand.length() - 1) - '0' : repository.value(operand);
    }

    private static int[] answers(KvTask task, List<String> operands, int[] operators, KvRepository repository) {
        int[] out = new int[operands.size()];
        int result = 0;
        for (int k = 0; k < out.length; k++) {
            int v = value(operands.get(k), repository);
            result = k == 0 ? v : apply(operators[k], result, v);
            out[k] = task == KvTask.SUBSTITUTION ? v : result;
        }
        return out;
    }

    static int apply(int operator, int a, int b) {
        return switch (operator) {
            case KvVocabulary.PLUS -> (a + b) % 10;
            case KvVocabulary.MINUS -> Math.floorMod(a - b, 10);
            case KvVocabulary.TIMES -> a * b % 10;
            default -> throw new IllegalArgumentException("not an operator token: " + operator);
        };
    }

    /**
     * The tokens fed before each answer: [BOS, marker, operand] first, then [operator, operand]. The answer follows the
     * operand's last character directly, so the position that reads a key's last letter is the one that answers for it.
     */
    public List<int[]> steps() {
        return steps(task);
    }

    private List<int[]> steps(KvTask markedAs) {
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k < operands.size(); k++) {
            List<Integer> t = new ArrayList<>();
            if (k == 0) {
                t.add(KvVocabulary.BOS);
                t.add(markedAs.marker());
            } else {
                t.add(operators[k]);
            }
            for (char c : operands.get(k).toCharArray()) t.add(Character.isDigit(c) ? KvVocabulary.digit(c - '0') : KvVocabulary.letter(c));
            out.add(t.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** The whole chain with its answers, each answer digit a target. */
    public TargetedTraining.Sequence sequence() {
        return sequence(task);
    }

    /** The chain with its answers under the marker of {@code markedAs} (its operands and answers unchanged). */
    public TargetedTraining.Sequence sequence(KvTask markedAs) {
        List<Integer> tokens = new ArrayList<>();
        List<Boolean> targets = new ArrayList<>();
        List<int[]> steps = steps(markedAs);
        for (int k = 0; k < steps.size(); k++) {
            for (int t : steps.get(k)) {
                tokens.add(t);
                targets.add(false);
            }
            tokens.add(KvVocabulary.digit(answers[k]));
            targets.add(true);
        }
        boolean[] flags = new boolean[targets.size()];
        for (int i = 0; i < flags.length; i++) flags[i] = targets.get(i);
        return new TargetedTraining.Sequence(tokens.stream().mapToInt(Integer::intValue).toArray(), flags);
    }

    /** Positions (in {@link #sequence()}) of each operand's last character: where the reader holds the operand and predicts its answer. */
    public int[] answeringPositions() {
        int[] out = new int[operands.size()];
        int pos = -1;
        List<int[]> steps = steps();
        for (int k = 0; k < steps.size(); k++) {
            pos += steps.get(k).length;
            out[k] = pos;
            pos++; // the answer digit
        }
        return out;
    }

    /** The chain as text with an arrow before each answer, e.g. "A 37→7 +04→1" (the arrow and spaces are not tokens). */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(task == KvTask.SUBSTITUTION ? "S " : "A ");
        for (int k = 0; k < operands.size(); k++) {
            if (k > 0) s.append(' ').append(KvVocabulary.text(new int[] {operators[k]}));
            s.append(operands.get(k)).append('→').append(answers[k]);
        }
        return s.toString();
    }
}
