package dev.t2.tasks;

import java.util.List;
import java.util.Objects;

/** What a checker needs beyond the reference answer string: choices, or a program's tests. */
public sealed interface CheckerInput {

    /** For answers compared as text or numbers. */
    CheckerInput NONE = new Nothing();

    record Nothing() implements CheckerInput {}

    /** The choice texts in the order shown; choice i is labelled with the letter 'A' + i. */
    record Choices(List<String> texts) implements CheckerInput {
        public Choices {
            texts = List.copyOf(texts);
        }
    }

    /**
     * Tests for generated Python code.
     *
     * @param functionPrompt prepended to the code when the code does not define {@code entryPoint} itself
     *                       (HumanEval completions of the function body); empty when code is always whole
     * @param entryPoint     the function under test, or empty
     * @param testCode       appended after the code; the program passes when it exits with status 0
     */
    record CodeTests(String functionPrompt, String entryPoint, String testCode) implements CheckerInput {
        public CodeTests {
            Objects.requireNonNull(functionPrompt, "functionPrompt");
            Objects.requireNonNull(entryPoint, "entryPoint");
            Objects.requireNonNull(testCode, "testCode");
        }
    }
}
