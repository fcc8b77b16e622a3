package dev.t2.tasks;

import java.time.Duration;

/**
 * The outcome of one sandboxed Python run.
 *
 * @param exitCode  the process's exit status (-1 when it was killed for the timeout)
 * @param timedOut  whether the wall-clock limit ended it
 * @param output    stdout and stderr interleaved, cut at the output limit
 * @param truncated whether output beyond the limit was discarded
 * @param elapsed   wall-clock time from start to exit (or kill)
 */
public record SandboxRun(int exitCode, boolean timedOut, String output, boolean truncated, Duration elapsed) {

    /** A program passes when it exits normally with status 0. */
    public boolean passed() {
        return !timedOut && exitCode == 0;
    }

    /** The last non-blank output line (the exception of a failing test), or "". */
    public String lastLine() {
        String[] lines = output.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }
}
