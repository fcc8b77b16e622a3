package dev.t2.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.t2.testing.SharedFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Code completions are cut at the fence, joined with their tests, and judged by running them. */
class CodeTasksTest {
    static Path data;
    static final PythonSandbox SANDBOX = new PythonSandbox();

    @BeforeAll
    static void locate() {
        data = SharedFiles.shared().resolve("data");
    }

    private static Map<String, TaskItem> byId(Task t) {
        List<TaskItem> all = new ArrayList<>();
        for (Split s : Split.values()) all.addAll(t.items(s));
        return all.stream().collect(Collectors.toMap(TaskItem::id, Function.identity()));
    }

    @Test
    void first20MbppCanonicalSolutionsPassAndAWrongOneFails() {
        Task mbpp = Tasks.byName("mbpp", data, SANDBOX);
        Map<String, TaskItem> items = byId(mbpp);
        for (int id = 1; id <= 20; id++) {
            TaskItem it = items.get("mbpp/" + id);
            // as a model would write it after the "```python" prefill: code, closing fence, chatter
            Verdict v = mbpp.check(it, "\n" + it.answer() + "\n```\n\nThis function handles the edge cases.");
            assertThat(v.correct()).as(it.id() + ": " + v.detail()).isTrue();
        }
        TaskItem first = items.get("mbpp/2"); // similar_elements: the shared elements of two tuples
        Verdict wrong = mbpp.check(first, "\ndef similar_elements(a, b):\n    return tuple(sorted(set(a) | set(b)))\n```");
        assertThat(wrong.correct()).isFalse();
        assertThat(wrong.detail()).contains("AssertionError");
        assertThat(mbpp.check(first, "```").correct()).isFalse();
    }

    @Test
    void first20HumanEvalCanonicalSolutionsPassAndAWrongOneFails() {
        Task humaneval = Tasks.byName("humaneval", data, SANDBOX);
        List<TaskItem> items = humaneval.items(Split.TEST);
        List<JsonNode> rows = Jsonl.read(data.resolve("humaneval/HumanEval.jsonl"));
        for (int i = 0; i < 20; i++) {
            TaskItem it = items.get(i);
            // a body-only completion gets the function's prompt in front; a whole script is run as it is
            String body = rows.get(i).get("canonical_solution").asText();
            Verdict v = humaneval.check(it, "\n" + body + "```");
            assertThat(v.correct()).as(it.id() + " (body): " + v.detail()).isTrue();
            if (i < 3) assertThat(humaneval.check(it, "\n" + it.answer() + "\n```").correct()).as(it.id() + " (script)").isTrue();
        }
        TaskItem hasClose = items.getFirst();
        Verdict wrong = humaneval.check(hasClose, "\ndef has_close_elements(numbers, threshold):\n    return False\n```");
        assertThat(wrong.correct()).isFalse();
        assertThat(wrong.detail()).contains("AssertionError");
        Verdict hangs = new CodeCheck(new PythonSandbox(PythonSandbox.Limits.DEFAULT.withTimeout(java.time.Duration.ofSeconds(1))))
                .check(hasClose, "\ndef has_close_elements(numbers, threshold):\n    while True: pass\n```");
        assertThat(hangs.correct()).isFalse();
        assertThat(hangs.detail()).startsWith("timed out");
    }

    @Test
    void completionIsCutAtTheFirstClosingFence() {
        assertThat(CodeCompletion.code("\ndef f():\n    return 1\n```\nmore ```python\nx\n```")).isEqualTo("\ndef f():\n    return 1\n");
        assertThat(CodeCompletion.code("```python\ndef f():\n    return 2\n```\ntext")).isEqualTo("def f():\n    return 2\n");
        assertThat(CodeCompletion.code("\nno fence at all\n")).isEqualTo("\nno fence at all\n");
        CheckerInput.CodeTests tests = new CheckerInput.CodeTests("def f():\n", "f", "assert f() == 1");
        assertThat(CodeCompletion.program("    return 1\n", tests)).isEqualTo("def f():\n    return 1\n\nassert f() == 1\n");
        assertThat(CodeCompletion.program("def f():\n    return 1", tests)).isEqualTo("def f():\n    return 1\n\nassert f() == 1\n");
    }
}
