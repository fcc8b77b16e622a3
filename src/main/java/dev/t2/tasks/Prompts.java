package dev.t2.tasks;

import java.util.List;
import java.util.stream.Collectors;

/** The reference implementation's system messages, prefills, layouts and stop strings (REFERENCE-T2.md). */
public final class Prompts {
    private Prompts() {}

    public static final String GSM8K_SYSTEM =
            "Below is an instruction that describes a task. Write a response that appropriately completes the request.";

    public static final String ARC_SYSTEM = "The following are multiple choice questions (with answers). Think step by step"
            + " and then finish your answer with \"the answer is (X)\" where X is the correct letter choice.";

    public static final String ARC_PREFILL = "Let's think step by step";

    public static final String MATH_SYSTEM =
            "Solve the question below by reasoning step by step, and put the final answer within \\boxed{}.";

    public static final String CODE_SYSTEM = "You are an exceptionally intelligent coding assistant that consistently"
            + " delivers accurate and reliable responses to user instructions.";

    /** The assistant turn opens a Python fence, so the completion is code up to the closing fence. */
    public static final String CODE_PREFILL = "```python";

    /** Asks for a whole script, so MBPP and HumanEval completions are runnable as they stand. */
    public static final String CODE_INSTRUCTION =
            "Please provide a self-contained Python script that solves the following problem in a markdown code block:";

    /** The reference's classification prompt, verbatim. */
    public static final String CLASSIFICATION_TEXT = """
            # Analyze the given question and classify it into one of four categories: 'code', 'math', 'reasoning' or 'other'. Follow these guidelines:

            1. Code: Questions asking for programming solutions, functions, algorithms. Often includes specific programming terms, language syntax, or data structures.
            2. Math: Questions involving mathematical calculations, formulas, statistics. Often includes numbers, equations, or mathematical operations.
            3. Reasoning: Questions requiring logical thinking, application of scientific knowledge, or critical analysis of information. Often presents statements that need evaluation based on general understanding.
            4. Other: Questions not clearly fit into above categories.

            Instructions:
            - Consider the primary focus, skills, and knowledge required to answer the question.
            - If a question spans multiple categories, choose the most dominant one.
            - Provide your final classification within \\boxed{} notation. Example: \\boxed{reasoning}

            Format your response as follows:
            Classification: \\boxed{category}""";

    /**
     * The classification system message as the reference sends it: its text sat in an indented Python string,
     * so every line carries four leading spaces (blank lines stay empty).
     */
    public static final String CLASSIFICATION_SYSTEM = CLASSIFICATION_TEXT.lines()
            .map(line -> line.isEmpty() ? line : "    " + line)
            .collect(Collectors.joining("\n"));

    /** Evaluation stops at the start of a new instruction/response block the model might invent. */
    public static final List<String> STOP_STRINGS = List.of("Instruction:", "Instruction", "Response:", "Response");

    /** Question, then "\nOptions:\n" and one "A. text\n" line per choice. */
    public static String multipleChoice(String question, List<String> choices) {
        StringBuilder sb = new StringBuilder(question).append("\nOptions:\n");
        for (int i = 0; i < choices.size(); i++) sb.append(letter(i)).append(". ").append(choices.get(i)).append('\n');
        return sb.toString();
    }

    /** The "@@ Instruction: … @@ Response:" layout around a coding problem; the prefill opens the answer's fence. */
    public static String codeInstruction(String problem) {
        return "@@ Instruction:\n" + CODE_INSTRUCTION + "\n```\n" + problem.strip() + "\n```\n\n@@ Response:";
    }

    /** 'A' for choice 0, 'B' for 1, ... */
    public static String letter(int index) {
        if (index < 0 || index >= 26) throw new IllegalArgumentException("choice index out of range: " + index);
        return String.valueOf((char) ('A' + index));
    }
}
