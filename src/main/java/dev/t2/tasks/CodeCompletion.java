package dev.t2.tasks;

import java.util.regex.Pattern;

/** Turns a code completion into a runnable test program: cut at the closing fence, add the tests. */
public final class CodeCompletion {
    private CodeCompletion() {}

    private static final String FENCE = "```";

    /**
     * The code in a completion that continues a "```python" prefill: everything up to the first closing
     * fence. A completion that opens its own fence first (no prefill, or the model repeated it) has that
     * opening line skipped.
     */
    public static String code(String completion) {
        String s = completion;
        String lead = s.stripLeading();
        if (lead.startsWith(FENCE)) {
            int eol = lead.indexOf('\n');
            s = eol < 0 ? "" : lead.substring(eol + 1);
        }
        int close = s.indexOf(FENCE);
        return close >= 0 ? s.substring(0, close) : s;
    }

    /** Code, preceded by the function prompt when the code does not define the entry point, then the tests. */
    public static String program(String code, CheckerInput.CodeTests tests) {
        StringBuilder sb = new StringBuilder();
        if (!tests.functionPrompt().isEmpty() && !defines(code, tests.entryPoint())) sb.append(tests.functionPrompt());
        sb.append(code);
        if (!code.endsWith("\n")) sb.append('\n');
        sb.append('\n').append(tests.testCode());
        if (!tests.testCode().endsWith("\n")) sb.append('\n');
        return sb.toString();
    }

    /** Whether the code has a top-level {@code def name(}. */
    static boolean defines(String code, String name) {
        if (name.isEmpty()) return true;
        return Pattern.compile("(?m)^(?:async\\s+)?def\\s+" + Pattern.quote(name) + "\\s*\\(").matcher(code).find();
    }
}
