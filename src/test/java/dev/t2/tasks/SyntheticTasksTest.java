package dev.t2.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
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
        assertThat(SyntheticTasks.byName("synth-reasoning-4").items(Split.TEST).getFirst().user()).contains("shorter than").contains(" (D)\n");
        assertThat(Tasks.byName("synth-math", java.nio.file.Path.of("nowhere")).name()).isEqualTo("synth-math");
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
