package dev.t2.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.tokenizer.HfTokenizer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticTasksTest {
    @Test
    void everyTaskHasReproducibleDisjointSplitsAndSolutionsThatPassTheirChecker() {
        for (String name : SyntheticTasks.NAMES) {
            Task t = SyntheticTasks.byName(name);
            Task again = SyntheticTasks.byName(name);
            assertThat(t.items(Split.TRAIN)).hasSize(2000);
            assertThat(t.items(Split.VALID)).hasSize(200);
            assertThat(t.items(Split.TEST)).hasSize(200);
            Set<String> train = new HashSet<>();
            t.items(Split.TRAIN).forEach(i -> train.add(i.user()));
            for (Split s : new Split[] {Split.VALID, Split.TEST}) {
                for (TaskItem item : t.items(s)) assertThat(train).as("%s %s question also in train", name, s).doesNotContain(item.user());
            }
            for (Split s : Split.values()) {
                for (int i = 0; i < t.items(s).size(); i++) {
                    TaskItem item = t.items(s).get(i);
                    assertThat(item).isEqualTo(again.items(s).get(i));
                    assertThat(t.check(item, item.solution()).correct()).as("%s: %s → %s", item.id(), item.user(), item.solution()).isTrue();
                }
            }
            // a wrong answer is wrong
            TaskItem first = t.items(Split.TEST).getFirst();
            assertThat(t.check(first, "I do not know.").correct()).isFalse();
        }
    }

    /** The held-out math family chains three steps of the trained family's operations, worded otherwise. */
    @Test
    void hardMathAnswersAddFindsAndPurchasesAndSubtractGifts() {
        java.util.regex.Pattern form = java.util.regex.Pattern.compile(
                "(\\w+) has (\\d+) (\\w+)\\. \\1 finds (\\d+) more, gives (\\d+) to (\\w+) and then buys (\\d+) more\\. How many \\3 does \\1 have in the end\\?");
        for (TaskItem item : SyntheticTasks.byName("synth-math-hard").items(Split.TEST)) {
            var m = form.matcher(item.user());
            assertThat(m.matches()).as(item.user()).isTrue();
            assertThat(m.group(6)).as("gives to someone else").isNotEqualTo(m.group(1));
            int afterGift = Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(4)) - Integer.parseInt(m.group(5));
            assertThat(afterGift).as(item.user()).isNotNegative();
            assertThat(Integer.parseInt(item.answer())).isEqualTo(afterGift + Integer.parseInt(m.group(7)));
        }
    }

    @Test
    void codeAnswersAreWhatPythonWouldPrintAndHeldOutFamiliesDiffer() throws Exception {
        Task code = SyntheticTasks.byName("synth-code");
        for (TaskItem item : code.items(Split.TEST).subList(0, 20)) {
            String program = item.user().replace("```python\n", "").replace("\n```", "");
            // evaluate the two assignments by hand: x = a; y = x * k + c
            String[] lines = program.split("\n");
            int x = Integer.parseInt(lines[0].substring(4));
            String[] expr = lines[1].substring(4).split(" ");
            assertThat(Integer.parseInt(item.answer())).isEqualTo(x * Integer.parseInt(expr[2]) + Integer.parseInt(expr[4]));
            assertThat(item.solution()).endsWith("The answer is " + item.answer() + ".");
        }
        assertThat(SyntheticTasks.byName("synth-code-vars").items(Split.TEST)).anySatisfy(item -> assertThat(item.user()).doesNotContain("x = "));
        assertThat(SyntheticTasks.byName("synth-reasoning-4").items(Split.TEST).getFirst().user()).containsPattern("\\nOptions:\\n(\\w+A\\n)(\\w+B\\n)(\\w+C\\n)(\\w+D\\n)$");
        assertThat(Tasks.byName("synth-math", java.nio.file.Path.of("nowhere")).name()).isEqualTo("synth-math");
    }

    /**
     * The reasoning format exists so that the base model can find an option's letter with a one-token copy: in the
     * base's own tokenizer each option's letter is a token of its own, right after its name's last token, and those
     * last tokens differ between the options of an item; the worked answer writes the same two tokens.
     */
    @Test
    void reasoningLettersFollowALastNameTokenThatOnlyTheirOptionHas() {
        HfTokenizer tokenizer = HfTokenizer.load(Path.of("src/main/resources/models/t2-tiny-base/tokenizer.json"));
        for (String name : List.of("synth-reasoning", "synth-reasoning-4")) {
            for (TaskItem item : SyntheticTasks.byName(name).items(Split.TEST).subList(0, 50)) {
                String[] options = item.user().substring(item.user().indexOf("Options:\n") + 9).split("\n");
                Set<Integer> lastNameTokens = new HashSet<>();
                for (int i = 0; i < options.length; i++) {
                    int[] ids = tokenizer.encode(options[i], false);
                    assertThat(tokenizer.tokenString(ids[ids.length - 1])).as(options[i]).isEqualTo(String.valueOf((char) ('A' + i)));
                    assertThat(lastNameTokens.add(ids[ids.length - 2])).as("%s: %s shares its last name token", item.id(), options[i]).isTrue();
                }
                String chosen = options[item.answer().charAt(0) - 'A'];
                assertThat(item.solution()).as(item.id()).contains(" is " + chosen + ". The answer is (" + item.answer() + ").");
            }
        }
    }

    /**
     * The answer follows from the facts alone (the tallest is never the shorter one of a fact, the shortest never the
     * taller one), and the facts come in shuffled order, so the first or last name written is often not the answer.
     */
    @Test
    void reasoningAnswersFollowFromShuffledFactsNotFromWhereANameIsWritten() {
        for (String name : List.of("synth-reasoning", "synth-reasoning-4")) {
            int positional = 0, wordingBlind = 0;
            List<TaskItem> items = SyntheticTasks.byName(name).items(Split.TEST);
            for (TaskItem item : items) {
                String question = item.user().substring(0, item.user().indexOf("\nOptions:"));
                Set<String> taller = new HashSet<>(), shorter = new HashSet<>();
                List<String> written = new java.util.ArrayList<>();
                for (String fact : question.substring(0, question.lastIndexOf(". ")).split("\\. ")) {
                    String[] w = fact.split(" "); // "Kim is taller than Ben" or "Ben is shorter than Kim"
                    boolean tallerFirst = w[2].equals("taller");
                    (tallerFirst ? taller : shorter).add(w[0]);
                    (tallerFirst ? shorter : taller).add(w[4]);
                    written.add(w[0]);
                    written.add(w[4]);
                }
                boolean tallest = question.endsWith("tallest?");
                Set<String> candidates = new HashSet<>(tallest ? taller : shorter);
                candidates.removeAll(tallest ? shorter : taller);
                assertThat(candidates).as(item.user()).hasSize(1);
                String target = candidates.iterator().next();
                List<String> options = List.of(item.user().substring(item.user().indexOf("Options:\n") + 9).split("\n"));
                assertThat(options.get(item.answer().charAt(0) - 'A')).as(item.user()).isEqualTo(target + item.answer());
                if (target.equals(tallest ? written.getFirst() : written.getLast())) positional++;
                Set<String> subjects = new HashSet<>(), objects = new HashSet<>(); // the names before / after "than"
                for (int i = 0; i < written.size(); i += 2) {
                    subjects.add(written.get(i));
                    objects.add(written.get(i + 1));
                }
                Set<String> neverAfterThan = new HashSet<>(subjects);
                neverAfterThan.removeAll(objects);
                Set<String> neverBeforeThan = new HashSet<>(objects);
                neverBeforeThan.removeAll(subjects);
                if (Set.of(target).equals(tallest ? neverAfterThan : neverBeforeThan)) wordingBlind++;
            }
            assertThat(positional).as("%s: items answered by the first or last name written", name).isLessThan(items.size() * 3 / 4);
            // with "taller than" alone, the tallest is the one name never written after "than": mixed wording removes that shortcut
            assertThat(wordingBlind).as("%s: items answered without reading each fact's direction", name).isLessThan(items.size() * 3 / 4);
        }
    }

    /** Every lookup answer is each asked name followed by the letter of its own option, the names asked in the prompt's order. */
    @Test
    void lookupAnswersPairEachAskedNameWithItsOptionsLetter() {
        int reordered = 0;
        for (TaskItem item : SyntheticTasks.byName("synth-lookup").items(Split.TRAIN).subList(0, 200)) {
            String user = item.user();
            List<String> asked = List.of(user.substring("Letters of: ".length(), user.indexOf('\n')).split(" "));
            List<String> options = List.of(user.substring(user.indexOf("Options:\n") + 9).split("\n"));
            String[] answer = item.answer().split(" ");
            assertThat(answer).hasSameSizeAs(asked.toArray()).hasSameSizeAs(options.toArray());
            for (int i = 0; i < answer.length; i++) {
                assertThat(answer[i]).as(item.id()).isEqualTo(asked.get(i) + (char) ('A' + options.indexOf(answer[i])));
                assertThat(options).as(item.id()).contains(answer[i]);
            }
            if (!asked.equals(options.stream().map(o -> o.substring(0, o.length() - 1)).toList())) reordered++;
            assertThat(item.solution()).isEqualTo(item.answer());
        }
        assertThat(reordered).as("names asked in another order than the options list them, so the letter is found by name").isGreaterThan(150);
    }

    @Test
    void theCorpusExtendsTheTrainSplitWithoutEverUsingAHeldOutQuestion() {
        Task math = SyntheticTasks.byName("synth-math");
        var corpus = SyntheticTasks.corpus("synth-math", 6000);
        assertThat(corpus).hasSize(6000).startsWith(math.items(Split.TRAIN).toArray(TaskItem[]::new));
        assertThat(SyntheticTasks.corpus("synth-math", 6000)).isEqualTo(corpus);
        assertThat(SyntheticTasks.corpus("synth-math", 10)).isEqualTo(math.items(Split.TRAIN).subList(0, 10));
        Set<String> heldOut = new HashSet<>();
        for (Split s : new Split[] {Split.VALID, Split.TEST}) math.items(s).forEach(i -> heldOut.add(i.user()));
        Set<String> questions = new HashSet<>();
        for (TaskItem item : corpus) {
            assertThat(heldOut).doesNotContain(item.user());
            questions.add(item.user());
            assertThat(math.check(item, item.solution()).correct()).isTrue();
        }
        assertThat(questions.size()).as("the extension draws new questions").isGreaterThan(4000);
    }
}
