package dev.t2.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.t2.testing.SharedFiles;
import dev.t2.tokenizer.ChatMessage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in tasks load the shared datasets with the reference's splits, texts and decoding settings. */
class TaskDataTest {
    static Path data;

    @BeforeAll
    static void locate() {
        data = SharedFiles.shared().resolve("data");
    }

    private static int[] sizes(Task t) {
        return new int[] {t.items(Split.TRAIN).size(), t.items(Split.VALID).size(), t.items(Split.TEST).size()};
    }

    @Test
    void gsm8kEvenOddTrainAndTest() {
        Task t = Tasks.byName("gsm8k", data);
        assertThat(sizes(t)).containsExactly(3737, 3736, 1319);
        TaskItem first = t.items(Split.TRAIN).getFirst();
        assertThat(first.id()).isEqualTo("gsm8k/train/0");
        assertThat(first.user()).startsWith("Natalia sold clips");
        assertThat(first.answer()).isEqualTo("72");
        assertThat(t.items(Split.VALID).getFirst().id()).isEqualTo("gsm8k/train/1");
        assertThat(t.items(Split.VALID).getFirst().answer()).isEqualTo("10");
        assertThat(first.messages()).containsExactly(
                ChatMessage.system("Below is an instruction that describes a task. Write a response that appropriately completes the request."),
                ChatMessage.user(first.user()));
        assertThat(first.hasPrefill()).isFalse();
        assertThat(t.maxNewTokens()).isEqualTo(512);
        assertThat(t.stopStrings()).containsExactly("Instruction:", "Instruction", "Response:", "Response");
    }

    @Test
    void everyGsm8kReferenceSolutionIsGradedCorrect() {
        // the worked solutions end in "#### N": their last number must read as the answer, separators and all
        Task t = Tasks.byName("gsm8k", data);
        List<String> solutions = Jsonl.read(data.resolve("gsm8k/test.jsonl")).stream().map(r -> r.get("answer").asText()).toList();
        List<TaskItem> test = t.items(Split.TEST);
        for (int i = 0; i < test.size(); i++) {
            Verdict v = t.check(test.get(i), solutions.get(i));
            assertThat(v.correct()).as(test.get(i).id() + ": " + v).isTrue();
        }
        assertThat(test.stream().filter(it -> it.answer().startsWith("-")).count()).as("negative answers kept").isPositive();
    }

    @Test
    void arcEasyEvenOddTrainAndTestChallengeTestOnly() {
        Task easy = Tasks.byName("arc-easy", data);
        assertThat(sizes(easy)).containsExactly(1126, 1125, 2376);
        Task challenge = Tasks.byName("arc-challenge", data);
        assertThat(sizes(challenge)).containsExactly(0, 0, 1172);
        TaskItem first = easy.items(Split.TRAIN).getFirst();
        assertThat(first.system()).isEqualTo("The following are multiple choice questions (with answers). Think step by step and"
                + " then finish your answer with \"the answer is (X)\" where X is the correct letter choice.");
        assertThat(first.user()).isEqualTo("Which factor will most likely cause a person to develop a fever?\nOptions:\n"
                + "A. a leg muscle relaxing after exercise\nB. a bacterial population in the bloodstream\n"
                + "C. several viral particles on the skin\nD. carbohydrates being digested in the stomach\n");
        assertThat(first.prefill()).isEqualTo("Let's think step by step");
        assertThat(first.answer()).isEqualTo("B");
        // numeric labels "1".."4" become letters by position
        TaskItem numeric = easy.items(Split.TEST).stream().filter(it -> it.id().contains("NYSEDREGENTS")).findFirst().orElseThrow();
        assertThat(numeric.user()).contains("\nA. ").doesNotContain("\n1. ");
        assertThat(numeric.answer()).matches("[A-D]");
        for (TaskItem it : challenge.items(Split.TEST)) {
            assertThat(challenge.check(it, "Reasoning... the answer is (" + it.answer() + ").").correct()).isTrue();
        }
        assertThat(easy.maxNewTokens()).isEqualTo(512);
    }

    @Test
    void mathAndMath500AreTestOnlyWithBoxedReferences() {
        Task math = Tasks.byName("math", data);
        assertThat(sizes(math)).containsExactly(0, 0, 5000);
        TaskItem first = math.items(Split.TEST).getFirst();
        assertThat(first.system()).isEqualTo("Solve the question below by reasoning step by step, and put the final answer within \\boxed{}.");
        assertThat(first.answer()).isEqualTo("2");
        assertThat(math.maxNewTokens()).isEqualTo(1024);
        Task m500 = Tasks.byName("math500", data);
        assertThat(sizes(m500)).containsExactly(0, 0, 500);
        assertThat(m500.items(Split.TEST).getFirst().answer()).isEqualTo("\\left( 3, \\frac{\\pi}{2} \\right)");
        // MATH-500's stated answers agree with the last \boxed{} of the original solutions under our equivalence
        List<JsonNode> rows = Jsonl.read(data.resolve("math/MATH500-test.jsonl"));
        long agree = rows.stream().filter(r -> MathEquivalence.equivalent(MathAnswer.lastBoxed(r.get("solution").asText()),
                r.get("answer").asText())).count();
        assertThat(agree).as("MATH-500 answer fields equivalent to their solutions' boxed answers").isGreaterThanOrEqualTo(495);
        TaskItem item = m500.items(Split.TEST).getFirst();
        assertThat(m500.check(item, "so the point is $\\boxed{(3,\\frac{\\pi}{2})}$").correct()).isTrue();
        assertThat(m500.check(item, "so the point is $\\boxed{(3,\\pi)}$").correct()).isFalse();
    }

    @Test
    void mbppFirst300ShuffledWithPythonsSeed16() {
        Task t = Tasks.byName("mbpp", data);
        assertThat(sizes(t)).containsExactly(200, 100, 674);
        // python: random.seed(16); l = list(range(300)); random.shuffle(l) → l[0] = 107, l[200] = 95 (task_id = index + 1)
        assertThat(t.items(Split.TRAIN).getFirst().id()).isEqualTo("mbpp/108");
        assertThat(t.items(Split.TRAIN).get(1).id()).isEqualTo("mbpp/77");
        assertThat(t.items(Split.TEST).getFirst().id()).isEqualTo("mbpp/301");
        Set<String> trainValid = new HashSet<>();
        t.items(Split.TRAIN).forEach(it -> trainValid.add(it.id()));
        t.items(Split.VALID).forEach(it -> trainValid.add(it.id()));
        assertThat(trainValid).hasSize(300);
        for (int id = 1; id <= 300; id++) assertThat(trainValid).contains("mbpp/" + id);
        TaskItem item = t.items(Split.TRAIN).getFirst();
        assertThat(item.system()).isEqualTo("You are an exceptionally intelligent coding assistant that consistently delivers"
                + " accurate and reliable responses to user instructions.");
        assertThat(item.user()).startsWith("@@ Instruction:\n").endsWith("```\n\n@@ Response:").contains("assert ");
        assertThat(item.prefill()).isEqualTo("```python");
        Task sanitized = Tasks.byName("mbpp-sanitized", data);
        assertThat(sizes(sanitized)).containsExactly(200, 100, 127);
    }

    @Test
    void humanEvalIsAllTest() {
        Task t = Tasks.byName("humaneval", data);
        assertThat(sizes(t)).containsExactly(0, 0, 164);
        TaskItem first = t.items(Split.TEST).getFirst();
        assertThat(first.id()).isEqualTo("HumanEval/0");
        assertThat(first.user()).contains("def has_close_elements(numbers: List[float], threshold: float) -> bool:");
        assertThat(first.input()).isInstanceOfSatisfying(CheckerInput.CodeTests.class,
                c -> assertThat(c.testCode()).endsWith("check(has_close_elements)\n"));
    }

    @Test
    void classificationDrawsFromTrainingSplitsUnderTheReferencePrompt() {
        Task t = Tasks.byName("classification", data);
        assertThat(sizes(t)).containsExactly(960, 240, 300);
        for (Split s : Split.values()) {
            Map<String, Long> perLabel = t.items(s).stream().collect(Collectors.groupingBy(TaskItem::answer, Collectors.counting()));
            long n = s == Split.TRAIN ? 320 : s == Split.VALID ? 80 : 100;
            assertThat(perLabel).containsOnly(Map.entry("code", n), Map.entry("math", n), Map.entry("reasoning", n));
        }
        TaskItem first = t.items(Split.TRAIN).getFirst();
        assertThat(first.system()).startsWith("    # Analyze the given question and classify it into one of four categories:"
                + " 'code', 'math', 'reasoning' or 'other'. Follow these guidelines:\n\n    1. Code: ");
        assertThat(first.system()).endsWith("\n    Format your response as follows:\n    Classification: \\boxed{category}");
        assertThat(first.system().lines().filter(l -> !l.isEmpty())).allMatch(l -> l.startsWith("    ") && !l.startsWith("     "));
        assertThat(t.maxNewTokens()).isEqualTo(1024);

        Function<Split, Set<String>> ids = s -> t.items(s).stream().map(TaskItem::id).collect(Collectors.toSet());
        Set<String> trainSide = new HashSet<>(ids.apply(Split.TRAIN));
        trainSide.addAll(ids.apply(Split.VALID));
        assertThat(trainSide).hasSize(1200).doesNotContainAnyElementsOf(ids.apply(Split.TEST));
        // math and reasoning come from training data only; test from the sources' test splits
        assertThat(trainSide.stream().filter(id -> id.contains("/gsm8k/"))).allMatch(id -> id.contains("/gsm8k/train/"));
        Set<String> arcTest = Tasks.byName("arc-easy", data).items(Split.TEST).stream().map(TaskItem::id).collect(Collectors.toSet());
        assertThat(trainSide.stream().filter(id -> id.contains("/arc-easy/")).map(id -> id.substring("classification/".length())))
                .noneMatch(arcTest::contains);
        assertThat(ids.apply(Split.TEST).stream().filter(id -> id.contains("/gsm8k/"))).allMatch(id -> id.contains("/gsm8k/test/"));
        // the same seed gives the same data
        assertThat(Tasks.byName("classification", data).items(Split.TRAIN)).isEqualTo(t.items(Split.TRAIN));
        assertThat(t.check(first, "Classification: \\boxed{" + first.answer() + "}").correct()).isTrue();
    }

    @Test
    void classificationPromptIsReferenceT2Verbatim() throws java.io.IOException {
        Path reference = SharedFiles.shared().resolve("REFERENCE-T2.md");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(reference), "no REFERENCE-T2.md beside the data");
        String doc = java.nio.file.Files.readString(reference);
        int start = doc.indexOf("```\n", doc.indexOf("Classification prompt")) + 4;
        String quoted = doc.substring(start, doc.indexOf("\n```", start));
        assertThat(Prompts.CLASSIFICATION_TEXT).isEqualTo(quoted);
        assertThat(Prompts.CLASSIFICATION_SYSTEM.replace("\n    ", "\n").substring(4)).isEqualTo(quoted);
    }

    @Test
    void unknownNamesAndMissingFilesSayWhatIsWrong() {
        assertThatThrownBy(() -> Tasks.byName("gsm9k", data)).hasMessageContaining("unknown task 'gsm9k'").hasMessageContaining("gsm8k");
        assertThatThrownBy(() -> Tasks.byName("gsm8k", Path.of("/nonexistent"))).hasMessageContaining("data file not found")
                .hasMessageContaining("train.jsonl");
    }

    @org.junit.jupiter.api.Test
    void itemsCarryWorkedSolutionsForNextTokenFineTuning() {
        var gsm = Tasks.byName("gsm8k", dev.t2.testing.SharedFiles.shared().resolve("data")).items(Split.TRAIN).getFirst();
        org.assertj.core.api.Assertions.assertThat(gsm.solution()).doesNotContain("<<").endsWith("#### " + gsm.answer());
        var gsmTask = Tasks.byName("gsm8k", dev.t2.testing.SharedFiles.shared().resolve("data"));
        org.assertj.core.api.Assertions.assertThat(gsmTask.check(gsm, gsm.solution()).correct()).isTrue();
        var arcTask = Tasks.byName("arc-easy", dev.t2.testing.SharedFiles.shared().resolve("data"));
        var arc = arcTask.items(Split.TRAIN).getFirst();
        org.assertj.core.api.Assertions.assertThat(arcTask.check(arc, arc.solution()).correct()).isTrue();
        var mathTask = Tasks.byName("math500", dev.t2.testing.SharedFiles.shared().resolve("data"));
        var math = mathTask.items(Split.TEST).getFirst();
        org.assertj.core.api.Assertions.assertThat(mathTask.check(math, math.solution()).correct()).isTrue();
    }
}
