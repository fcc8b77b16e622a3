package dev.t2.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import java.util.stream.Stream;

/** Every checker on a table of tricky completions: what it reads, and whether it counts as correct. */
class AnswerExtractionTest {

    private static TaskItem item(String answer, CheckerInput input) {
        return new TaskItem("t/1", "", "q", "", answer, input);
    }

    // ---- GSM8K numbers -------------------------------------------------------------------------------

    static Stream<Arguments> numbers() {
        return Stream.of(
                Arguments.of("So she makes 9 * 2 = $18 every day.", "#### 18", "18", true),
                Arguments.of("The temperature fell to -5 degrees.", "#### -5", "-5", true),
                Arguments.of("The change is \u22127.", "#### -7", "-7", true),           // Unicode minus
                Arguments.of("She has 1,234 stickers.", "#### 1,234", "1234", true),     // separators on both sides
                Arguments.of("Total: $1,080.00", "#### 1080", "1080", true),
                Arguments.of("It costs $5.00.", "#### 5", "5", true),
                Arguments.of("He ran 12.5 km.", "#### 12.5", "12.5", true),
                Arguments.of("20-5=15 apples", "#### 15", "15", true),                     // subtraction, not a sign
                Arguments.of("The answer is 5, not -5", "#### 5", "-5", false),            // last number, sign kept
                Arguments.of("We get 3, 4 and finally 70000", "#### 70000", "70000", true),
                Arguments.of("I cannot solve this.", "#### 3", null, false),                // nothing to read: wrong
                Arguments.of("1,2,3", "#### 3", "3", true),                                 // a list, not 1,2,3 as a number
                Arguments.of("Answer: 7.", "#### 8", "7", false));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("numbers")
    void gsm8kLastNumber(String completion, String reference, String extracted, boolean correct) {
        Verdict v = AnswerCheck.NUMBER.check(item(reference, CheckerInput.NONE), completion);
        assertThat(v.extracted()).isEqualTo(extracted);
        assertThat(v.correct()).as(v.detail()).isEqualTo(correct);
    }

    // ---- MATH ------------------------------------------------------------------------------------------

    static Stream<Arguments> math() {
        return Stream.of(
                Arguments.of("so $x = \\boxed{\\frac{1}{2}}$.", "0.5", "\\frac{1}{2}", true),
                Arguments.of("\\boxed{0.5}", "\\frac{1}{2}", "0.5", true),
                Arguments.of("\\boxed{\\dfrac12}", "\\frac{1}{2}", "\\dfrac12", true),
                Arguments.of("\\boxed{\\tfrac{3}{4}}", "3/4", "\\tfrac{3}{4}", true),
                Arguments.of("\\boxed{\\frac{\\sqrt{3}}{2}}", "\\frac{\\sqrt3}{2}", "\\frac{\\sqrt{3}}{2}", true),   // nested braces
                Arguments.of("first \\boxed{1} then \\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}", "(3,\\frac{\\pi}{2})",
                        "\\left( 3, \\frac{\\pi}{2} \\right)", true),                                            // last box wins
                Arguments.of("The answer is: 90^\\circ", "90", "90^\\circ", true),
                Arguments.of("\\boxed{10\\text{ inches}}", "10", "10\\text{ inches}", true),                      // unit
                Arguments.of("\\boxed{\\$5.00}", "5", "\\$5.00", true),
                Arguments.of("\\boxed{x = 7}", "7", "x = 7", true),
                Arguments.of("\\boxed{\\text{(C)}}", "\\text{(C)}", "\\text{(C)}", true),
                Arguments.of("\\boxed{\\text{Evelyn}}.", "\\text{Evelyn}", "\\text{Evelyn}", true),
                Arguments.of("\\boxed{10,\\!000}", "10000", "10,\\!000", true),                                  // thousands
                Arguments.of("\\boxed{(0.5, 3]}", "(\\frac12,3]", "(0.5, 3]", true),                               // interval, numeric
                Arguments.of("\\boxed{(0.5, 3)}", "(\\frac12,3]", "(0.5, 3)", false),                              // other bracket
                Arguments.of("\\boxed{\\{1, 2\\}}", "\\{1,2\\}", "\\{1, 2\\}", true),                               // escaped braces
                Arguments.of("\\boxed{0.33}", "\\frac{1}{3}", "0.33", false),                                     // close is not equal
                Arguments.of("\\boxed{-\\frac{2}{4}}", "-0.5", "-\\frac{2}{4}", true),
                Arguments.of("The answer is: 12.\nMore text \\boxed{13}", "12", "12", true),                       // stated answer first
                Arguments.of("\\boxed{\\frac{1}{2}", "\\frac{1}{2}", null, false),                                  // unclosed: nothing read
                Arguments.of("no box at all: 1/2", "\\frac{1}{2}", null, false));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("math")
    void mathBoxedOrStated(String completion, String reference, String extracted, boolean correct) {
        Verdict v = AnswerCheck.BOXED.check(item(reference, CheckerInput.NONE), completion);
        assertThat(v.extracted()).isEqualTo(extracted);
        assertThat(v.correct()).as(v.detail()).isEqualTo(correct);
    }

    @Test
    void normalisationFollowsHendrycks() {
        assertThat(MathEquivalence.normalize("\\left( 3, \\frac{\\pi}{2} \\right)")).isEqualTo("(3,\\frac{\\pi}{2})");
        assertThat(MathEquivalence.normalize("\\frac12")).isEqualTo("\\frac{1}{2}");
        assertThat(MathEquivalence.normalize("\\frac1{2}")).isEqualTo("\\frac{1}{2}");
        assertThat(MathEquivalence.normalize("\\sqrt2")).isEqualTo("\\sqrt{2}");
        assertThat(MathEquivalence.normalize("5\\%")).isEqualTo("5");
        assertThat(MathEquivalence.normalize(".5")).isEqualTo("0.5");
        assertThat(MathEquivalence.normalize("3/4")).isEqualTo("\\frac{3}{4}");
        assertThat(MathEquivalence.normalize("45^{\\circ}")).isEqualTo("45");
        assertThat(MathAnswer.lastBoxed("a \\boxed{\\frac{a}{\\sqrt{b^{2}}}} b")).isEqualTo("\\frac{a}{\\sqrt{b^{2}}}");
        assertThat(MathAnswer.lastBoxed("\\boxed 5$")).isEqualTo("5");
        assertThat(MathAnswer.lastBoxed("\\fbox{7}")).isEqualTo("7");
    }

    // ---- ARC letters -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "Plants need light. The answer is (C).                          | C",
            "the answer is (c)                                              | C",
            "Thinking... the answer is B.                                   | B",
            "**The answer is: (D)**                                         | D",
            "It might be (A), but the answer is (B). Wait, the answer is (D) | D",
            "Answer: A                                                      | A",
            "answer: (b)                                                    | B",
            "Between the options, B fits best.                              | B",
            "A plant makes food from light, so D                            | D",
            "A plant makes food from light.                                 | NULL",
            "I think photosynthesis is involved.                            | NULL",
            "the answer is c                                                | NULL",
            "no letter here at all                                          | NULL",
    })
    void arcLetter(String completion, String letter) {
        assertThat(ChoiceAnswer.extract(completion.strip(), 4)).isEqualTo(letter);
    }

    @Test
    void arcUnreadableAnswerIsWrongNotAGuessOfA() {
        TaskItem a = item("A", new CheckerInput.Choices(List.of("x", "y", "z", "w")));
        Verdict v = AnswerCheck.CHOICE.check(a, "I am not sure about this one.");
        assertThat(v.correct()).isFalse();
        assertThat(v.extracted()).isNull();
        assertThat(AnswerCheck.CHOICE.check(a, "so the answer is (a)").correct()).isTrue();
        // a letter beyond the item's choices is not a standalone answer
        assertThat(ChoiceAnswer.extract("Option E is out, so B", 4)).isEqualTo("B");
        assertThat(ChoiceAnswer.extract("E", 4)).isNull();
        assertThat(ChoiceAnswer.extract("E", 5)).isEqualTo("E");
    }

    // ---- classification label and exact ----------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "Classification: \\boxed{math}                        | math      | math      | true",
            "Classification: \\boxed{ Math }                      | math      | math      | true",
            "Classification: \\boxed{\\text{reasoning}}           | reasoning | reasoning | true",
            "\\boxed{code} ... on reflection \\boxed{math}         | math      | code      | false",
            "Classification: \\boxed{other}                       | code      | other     | false",
            "I would say math.                                    | math      | NULL      | false",
    })
    void classificationReadsTheFirstBoxedLabel(String completion, String label, String extracted, boolean correct) {
        Verdict v = AnswerCheck.LABEL.check(item(label, CheckerInput.NONE), completion.strip());
        assertThat(v.extracted()).isEqualTo(extracted);
        assertThat(v.correct()).isEqualTo(correct);
    }

    @Test
    void exactIgnoresCaseWhitespaceAndAFinalPeriod() {
        TaskItem paris = item("Paris", CheckerInput.NONE);
        assertThat(AnswerCheck.EXACT.check(paris, "  paris.\n").correct()).isTrue();
        assertThat(AnswerCheck.EXACT.check(paris, "The capital is Paris").correct()).isFalse();
        assertThat(AnswerCheck.EXACT.check(paris, "   ").extracted()).isNull();
    }

    @Test
    void checkerNamesResolve() {
        assertThat(AnswerCheck.byId("Boxed")).isEqualTo(AnswerCheck.BOXED);
        assertThat(Stream.of("exact", "number", "choice", "boxed", "label").map(AnswerCheck::byId)).hasSize(5);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AnswerCheck.byId("regex"))
                .hasMessageContaining("unknown checker 'regex'");
    }
}
