package dev.t2.tasks;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Generated skill tasks for an in-house base model, in the paper's three domains, each with a trained family and
 * a held-out family that is never trained on (the role of MATH / HumanEval / ARC-Challenge):
 * <ul>
 *   <li>{@code synth-math}: two-step arithmetic word problems; held out {@code synth-math-hard}: three steps, other wording;</li>
 *   <li>{@code synth-code}: predict what a straight-line program prints; held out {@code synth-code-vars}: other variable names and term order;</li>
 *   <li>{@code synth-reasoning}: who is tallest/shortest of three from facts in shuffled order, each fact worded "taller
 *   than" or "shorter than" at random, by letter; held out {@code synth-reasoning-4}: four people;</li>
 *   <li>{@code synth-lookup}: each listed name's option letter, asked in another order (the skill the reasoning letter needs, taught first);</li>
 *   <li>{@code synth-classification}: prompts of the trained families labelled code / math / reasoning.</li>
 * </ul>
 * Items are a pure function of (task, split, index), so every split is reproducible; a question drawn again for a
 * later split is skipped, so validation and test questions never appear in training.
 */
public final class SyntheticTasks {
    public static final List<String> NAMES = List.of("synth-math", "synth-math-hard", "synth-code", "synth-code-vars",
            "synth-reasoning", "synth-reasoning-4", "synth-classification", "synth-lookup");
    public static final String MATH_SYSTEM = "Solve the problem. End with: The answer is N.";
    public static final String CODE_SYSTEM = "Say what the Python program prints. End with: The answer is N.";
    public static final String REASONING_SYSTEM = "Answer the question. End with: The answer is (X).";
    private static final String[] NAMES_OF_PEOPLE = {"Anna", "Ben", "Cara", "Dan", "Eva", "Finn", "Gus", "Hana", "Ivy", "Jon", "Kim", "Leo"};
    /**
     * The reasoning items' people: names whose last tokens in the base's 512-token vocabulary all differ ("Cara", "Eva"
     * and "Hana" would end in the "a" of "Anna"), so the token before an option's letter names exactly one option.
     */
    private static final String[] NAMES_WITH_DISTINCT_ENDINGS = {"Anna", "Ben", "Dan", "Finn", "Gus", "Ivy", "Jon", "Kim", "Leo"};
    private static final String[] THINGS = {"apples", "books", "coins", "stickers", "marbles", "pens", "cards", "shells"};
    private static final int[] SIZES = {2000, 200, 200}; // train, valid, test items per task
    private static final Split[] SPLITS = {Split.TRAIN, Split.VALID, Split.TEST};

    private SyntheticTasks() {}

    public static Task byName(String name) {
        Family f = family(name);
        Map<Split, List<TaskItem>> splits = new EnumMap<>(Split.class);
        Set<String> seen = new HashSet<>(); // a question appears in one split only
        for (int s = 0; s < SPLITS.length; s++) splits.put(SPLITS[s], draw(name, f, s, SIZES[s], seen, s > 0));
        return new LoadedTask(name, splits, f.checker(), f.maxNewTokens(), List.of());
    }

    /**
     * {@code count} training items for pretraining a base model: the TRAIN split, then further items drawn the same
     * way from another seed stream, never a question of the VALID or TEST split.
     */
    public static List<TaskItem> corpus(String name, int count) {
        Task task = byName(name);
        List<TaskItem> train = task.items(Split.TRAIN);
        if (count <= train.size()) return train.subList(0, count);
        Set<String> heldOut = new HashSet<>();
        for (Split s : new Split[] {Split.VALID, Split.TEST}) task.items(s).forEach(item -> heldOut.add(item.user()));
        List<TaskItem> items = new ArrayList<>(train);
        items.addAll(draw(name, family(name), SPLITS.length, count - train.size(), heldOut, false));
        return items;
    }

    private record Family(Function<Random, TaskItem> make, Checker checker, int maxNewTokens) {}

    private static Family family(String name) {
        return switch (name) {
            case "synth-math" -> new Family(SyntheticTasks::mathTwoSteps, AnswerCheck.NUMBER, 48);
            case "synth-math-hard" -> new Family(SyntheticTasks::mathThreeSteps, AnswerCheck.NUMBER, 64);
            case "synth-code" -> new Family(SyntheticTasks::codeStraight, AnswerCheck.NUMBER, 48);
            case "synth-code-vars" -> new Family(SyntheticTasks::codeVars, AnswerCheck.NUMBER, 48);
            case "synth-reasoning" -> new Family(r -> order(r, 3), AnswerCheck.CHOICE, 48);
            case "synth-reasoning-4" -> new Family(r -> order(r, 4), AnswerCheck.CHOICE, 48);
            case "synth-classification" -> new Family(SyntheticTasks::classification, AnswerCheck.LABEL, 64); // "Classification: \boxed{reasoning}" is ~30 tokens of a 512-token vocabulary
            case "synth-lookup" -> new Family(SyntheticTasks::lookup, AnswerCheck.EXACT, 64);
            default -> throw new IllegalArgumentException("unknown synthetic task '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    /**
     * {@code count} items of seed stream {@code stream}, each question added to {@code seen}. A question already in
     * {@code seen} when drawing starts is skipped; with {@code distinct}, so is one drawn earlier in this stream.
     */
    private static List<TaskItem> draw(String name, Family f, int stream, int count, Set<String> seen, boolean distinct) {
        Set<String> excluded = distinct ? seen : Set.copyOf(seen);
        List<TaskItem> items = new ArrayList<>();
        String splitName = stream < SPLITS.length ? SPLITS[stream].name().toLowerCase() : "corpus";
        for (int i = 0; items.size() < count; i++) {
            if (i > Math.max(count, 100) * 50) throw new IllegalStateException(name + ": too few distinct questions for the " + splitName + " split");
            Random r = new Random(((long) name.hashCode() << 32) ^ ((long) stream << 24) ^ i); // independent per item and stream
            TaskItem raw = f.make().apply(r);
            if (excluded.contains(raw.user())) continue;
            seen.add(raw.user());
            items.add(new TaskItem(name + "/" + splitName + "/" + items.size(), raw.system(), raw.user(), raw.prefill(),
                    raw.answer(), raw.input(), raw.solution()));
        }
        return items;
    }

    private static TaskItem mathTwoSteps(Random r) {
        String who = NAMES_OF_PEOPLE[r.nextInt(NAMES_OF_PEOPLE.length)], what = THINGS[r.nextInt(THINGS.length)];
        int a = 2 + r.nextInt(30), b = 1 + r.nextInt(20), c = 1 + r.nextInt(a + b - 1);
        int answer = a + b - c;
        String q = who + " has " + a + " " + what + ". " + who + " gets " + b + " more and gives away " + c + ". How many " + what + " does " + who + " have now?";
        String solution = a + " + " + b + " = " + (a + b) + ". " + (a + b) + " - " + c + " = " + answer + ". The answer is " + answer + ".";
        return item(MATH_SYSTEM, q, Integer.toString(answer), CheckerInput.NONE, solution);
    }

    /**
     * One step more than {@link #mathTwoSteps} in other words ("finds", "gives ... to", "buys", "in the end"): the
     * operations the trained family teaches, chained further (this family was once a multiplication, an operation only
     * code items show).
     */
    private static TaskItem mathThreeSteps(Random r) {
        String who = NAMES_OF_PEOPLE[r.nextInt(NAMES_OF_PEOPLE.length)], what = THINGS[r.nextInt(THINGS.length)];
        String friend = NAMES_OF_PEOPLE[r.nextInt(NAMES_OF_PEOPLE.length)];
        if (friend.equals(who)) friend = NAMES_OF_PEOPLE[(java.util.Arrays.asList(NAMES_OF_PEOPLE).indexOf(who) + 1) % NAMES_OF_PEOPLE.length];
        int a = 2 + r.nextInt(30), b = 1 + r.nextInt(20), c = 1 + r.nextInt(a + b - 1), d = 1 + r.nextInt(20);
        int answer = a + b - c + d;
        String q = who + " has " + a + " " + what + ". " + who + " finds " + b + " more, gives " + c + " to " + friend + " and then buys " + d
                + " more. How many " + what + " does " + who + " have in the end?";
        String solution = a + " + " + b + " = " + (a + b) + ". " + (a + b) + " - " + c + " = " + (a + b - c) + ". " + (a + b - c) + " + " + d + " = "
                + answer + ". The answer is " + answer + ".";
        return item(MATH_SYSTEM, q, Integer.toString(answer), CheckerInput.NONE, solution);
    }

    private static TaskItem codeStraight(Random r) {
        int x = 1 + r.nextInt(30), k = 2 + r.nextInt(5), c = r.nextInt(31);
        return code(r, "x", "y", x, k, c, false);
    }

    /** Held out: other variable names, and the constant first in half of the programs. */
    private static TaskItem codeVars(Random r) {
        String[][] names = {{"a", "b"}, {"n", "m"}, {"p", "q"}, {"val", "out"}, {"count", "total"}};
        String[] v = names[r.nextInt(names.length)];
        int x = 1 + r.nextInt(30), k = 2 + r.nextInt(5), c = r.nextInt(31);
        return code(r, v[0], v[1], x, k, c, r.nextBoolean());
    }

    private static TaskItem code(Random r, String in, String out, int x, int k, int c, boolean constantFirst) {
        String expression = constantFirst ? c + " + " + in + " * " + k : in + " * " + k + " + " + c;
        String program = in + " = " + x + "\n" + out + " = " + expression + "\nprint(" + out + ")";
        int answer = x * k + c;
        String worked = constantFirst ? c + " + " + x + " * " + k + " = " + c + " + " + (x * k) : x + " * " + k + " + " + c + " = " + (x * k) + " + " + c;
        return item(CODE_SYSTEM, "```python\n" + program + "\n```", Integer.toString(answer), CheckerInput.NONE,
                out + " = " + worked + " = " + answer + ". The answer is " + answer + ".");
    }

    /**
     * People ordered by height; the question asks for the tallest or shortest; choices list them shuffled. The facts
     * (one per neighbouring pair) come in shuffled order: in height order the tallest was simply the first name written
     * and the shortest the last, a positional shortcut that let a base answer every item without reading the facts.
     * Trained facts are worded either way at random: with "taller than" alone the tallest was just the name never written
     * after "than", which the base learnt to the ceiling (99 %); mixed wording makes it read each fact's direction.
     */
    private static TaskItem order(Random r, int people) {
        List<String> pool = shuffledPeople(r);
        List<String> tallestFirst = pool.subList(0, people);
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < people; i++) {
            boolean shorterWording = r.nextBoolean();
            pairs.add(shorterWording ? tallestFirst.get(i + 1) + " is shorter than " + tallestFirst.get(i) : tallestFirst.get(i) + " is taller than " + tallestFirst.get(i + 1));
        }
        java.util.Collections.shuffle(pairs, r);
        StringBuilder facts = new StringBuilder();
        for (String pair : pairs) facts.append(pair).append(". ");
        boolean askTallest = r.nextBoolean();
        String target = askTallest ? tallestFirst.getFirst() : tallestFirst.get(people - 1);
        List<String> choices = new ArrayList<>(tallestFirst);
        java.util.Collections.shuffle(choices, r);
        String letter = String.valueOf((char) ('A' + choices.indexOf(target)));
        String q = facts + "Who is the " + (askTallest ? "tallest" : "shortest") + "?";
        return item(REASONING_SYSTEM, namedOptions(q, choices), letter, new CheckerInput.Choices(choices),
                "The " + (askTallest ? "tallest" : "shortest") + " is " + target + letter + ". The answer is (" + letter + ").");
    }

    /** The reasoning and lookup items' nine people in a random order. */
    private static List<String> shuffledPeople(Random r) {
        List<String> pool = new ArrayList<>(List.of(NAMES_WITH_DISTINCT_ENDINGS));
        java.util.Collections.shuffle(pool, r);
        return pool;
    }

    /**
     * Options as "NameX" lines ("KimC"), and the worked answer names its choice the same way ("The tallest is KimC."):
     * the letter is the token right after the name's last token, so a small model finds it with a one-token copy (an
     * induction head). With "Kim (C)" the letter came three tokens after the name ("▁", "(" in between: this vocabulary
     * splits a space before a capital into a token of its own), and the shipped base never learnt that lookup; it wrote
     * the right name and then "(A)" whatever the options said.
     */
    private static String namedOptions(String question, List<String> choices) {
        StringBuilder sb = new StringBuilder(question).append("\nOptions:\n");
        for (int i = 0; i < choices.size(); i++) sb.append(choices.get(i)).append(Prompts.letter(i)).append("\n");
        return sb.toString();
    }

    private static TaskItem classification(Random r) {
        int domain = r.nextInt(3);
        TaskItem source = switch (domain) {
            case 0 -> mathTwoSteps(r);
            case 1 -> codeStraight(r);
            default -> order(r, 3);
        };
        String label = switch (domain) {
            case 0 -> "math";
            case 1 -> "code";
            default -> "reasoning";
        };
        return item(Prompts.CLASSIFICATION_SYSTEM, source.user(), label, CheckerInput.NONE, "Classification: \\boxed{" + label + "}");
    }

    /**
     * Options written as in the reasoning items, then each name asked for in another order: every answer token after a
     * name is its option's letter, found by content (an induction head) — what the reasoning letter needs, taught densely.
     */
    private static TaskItem lookup(Random r) {
        List<String> pool = shuffledPeople(r);
        List<String> options = pool.subList(0, 3 + r.nextInt(4));
        List<String> asked = new ArrayList<>(options);
        java.util.Collections.shuffle(asked, r);
        StringBuilder answer = new StringBuilder();
        for (String n : asked) answer.append(answer.isEmpty() ? "" : " ").append(n).append(Prompts.letter(options.indexOf(n)));
        return item("Give each name's letter.", namedOptions("Letters of: " + String.join(" ", asked), options), answer.toString(), CheckerInput.NONE, answer.toString());
    }

    private static TaskItem item(String system, String user, String answer, CheckerInput input, String solution) {
        return new TaskItem("pending", system, user, "", answer, input, solution);
    }
}
