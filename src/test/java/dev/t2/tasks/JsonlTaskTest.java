package dev.t2.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's JSONL file is a task: a header line with defaults, items with prompts and answers, any checker. */
class JsonlTaskTest {
    @TempDir
    Path tmp;

    @Test
    void headerGivesDefaultsAndItemsOverrideThem() throws IOException {
        Path file = tmp.resolve("capitals.jsonl");
        Files.writeString(file, """
                {"name": "mixed", "checker": "number", "system": "Answer briefly.", "max_new_tokens": 64, "split": "train"}
                {"prompt": "What is 6 x 7?", "answer": 42}
                {"prompt": "Temperature drop from 3 to -4?", "answer": "-7", "split": "valid"}

                {"id": "cap-1", "prompt": "Capital of France?", "answer": "Paris", "checker": "exact", "split": "test"}
                {"prompt": "Which is a mammal?", "choices": ["shark", "whale", "trout"], "answer": "whale", "checker": "choice", "split": "test"}
                {"prompt": "Half of one?", "answer": "\\\\frac{1}{2}", "checker": "boxed", "split": "test", "system": ""}
                """);
        Task t = Tasks.fromJsonl(file);
        assertThat(t.name()).isEqualTo("mixed");
        assertThat(t.maxNewTokens()).isEqualTo(64);
        assertThat(t.stopStrings()).isEqualTo(Prompts.STOP_STRINGS);
        assertThat(t.items(Split.TRAIN)).hasSize(1);
        assertThat(t.items(Split.VALID)).hasSize(1);
        assertThat(t.items(Split.TEST)).hasSize(3);

        TaskItem six = t.items(Split.TRAIN).getFirst();
        assertThat(six.system()).isEqualTo("Answer briefly.");
        assertThat(six.answer()).isEqualTo("42");
        assertThat(t.check(six, "6 x 7 = 42.").correct()).isTrue();
        assertThat(t.check(six, "It is 41").correct()).isFalse();
        assertThat(t.check(t.items(Split.VALID).getFirst(), "It fell to -7 degrees").correct()).isTrue();

        TaskItem paris = t.items(Split.TEST).get(0);
        assertThat(paris.id()).isEqualTo("cap-1");
        assertThat(t.check(paris, "paris").correct()).isTrue();
        assertThat(t.check(paris, "Lyon").correct()).isFalse();

        TaskItem mammal = t.items(Split.TEST).get(1);
        assertThat(mammal.user()).isEqualTo("Which is a mammal?\nOptions:\nA. shark\nB. whale\nC. trout\n");
        assertThat(mammal.answer()).isEqualTo("B");
        assertThat(t.check(mammal, "the answer is (B)").correct()).isTrue();
        assertThat(t.check(mammal, "the answer is (A)").correct()).isFalse();

        TaskItem half = t.items(Split.TEST).get(2);
        assertThat(half.system()).isEmpty();
        assertThat(half.messages()).hasSize(1);
        assertThat(t.check(half, "\\boxed{0.5}").correct()).isTrue();
    }

    @Test
    void withoutHeaderItemsNeedTheirOwnCheckerAndDefaultToTest() throws IOException {
        Path file = tmp.resolve("sums.jsonl");
        Files.writeString(file, "{\"prompt\": \"1+1?\", \"answer\": \"2\", \"checker\": \"number\"}\n");
        Task t = Tasks.fromJsonl(file);
        assertThat(t.name()).isEqualTo("sums");
        assertThat(t.items(Split.TEST)).hasSize(1);
        assertThat(t.items(Split.TRAIN)).isEmpty();
        assertThat(t.maxNewTokens()).isEqualTo(512);

        Path noChecker = tmp.resolve("bad.jsonl");
        Files.writeString(noChecker, "{\"prompt\": \"1+1?\", \"answer\": \"2\"}\n");
        assertThatThrownBy(() -> Tasks.fromJsonl(noChecker)).hasMessageContaining("bad.jsonl:1").hasMessageContaining("no checker");
        Path broken = tmp.resolve("broken.jsonl");
        Files.writeString(broken, "{\"checker\": \"exact\"}\n{\"prompt\": \"x\", \"answer\": }\n");
        assertThatThrownBy(() -> Tasks.fromJsonl(broken)).hasMessageContaining("broken.jsonl:2").hasMessageContaining("not valid JSON");
        Path badChoice = tmp.resolve("choice.jsonl");
        Files.writeString(badChoice, "{\"prompt\": \"x\", \"choices\": [\"a\", \"b\"], \"answer\": \"c\", \"checker\": \"choice\"}\n");
        assertThatThrownBy(() -> Tasks.fromJsonl(badChoice)).hasMessageContaining("neither a choice letter nor a choice text");
    }
}
