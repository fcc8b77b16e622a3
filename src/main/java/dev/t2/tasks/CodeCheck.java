package dev.t2.tasks;

/** Grades code: cut the completion at the closing fence, append the item's tests, run it in the sandbox. */
public final class CodeCheck implements Checker {
    private final PythonSandbox sandbox;

    public CodeCheck(PythonSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public Verdict check(TaskItem item, String completion) {
        if (!(item.input() instanceof CheckerInput.CodeTests tests))
            throw new IllegalArgumentException("item " + item.id() + " has no code tests");
        String code = CodeCompletion.code(completion);
        if (code.isBlank()) return Verdict.unparseable("code");
        SandboxRun run = sandbox.run(CodeCompletion.program(code, tests));
        String detail = run.passed() ? "tests passed"
                : run.timedOut() ? "timed out after " + sandbox.limits().timeout().toSeconds() + " s"
                : "exit " + run.exitCode() + ": " + run.lastLine();
        return new Verdict(run.passed(), code, detail);
    }
}
