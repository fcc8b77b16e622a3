package dev.t2.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The sandbox runs Python, reports pass/fail, and contains loops, forks, memory, network and stray writes. */
class PythonSandboxTest {
    private static final PythonSandbox SHORT = new PythonSandbox(PythonSandbox.Limits.DEFAULT.withTimeout(Duration.ofSeconds(2)));

    @Test
    void passingProgramExitsZeroWithItsOutput() {
        SandboxRun run = SHORT.run("import math\nprint('sum', sum(range(10)), math.isqrt(49))\nassert 1 + 1 == 2\n");
        assertThat(run.passed()).as(run.output()).isTrue();
        assertThat(run.output()).contains("sum 45 7");
    }

    @Test
    void failingAssertFails() {
        SandboxRun run = SHORT.run("def f(x):\n    return x + 1\nassert f(1) == 3, 'wrong'\n");
        assertThat(run.passed()).isFalse();
        assertThat(run.timedOut()).isFalse();
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.lastLine()).contains("AssertionError: wrong");
    }

    @Test
    void environmentIsClearedStdinClosedAndCwdIsAFreshTempDirectory() {
        SandboxRun run = SHORT.run("""
                import os, sys
                print('ENV', sorted(os.environ))
                print('HOME_IS_CWD', os.environ['HOME'] == os.getcwd())
                print('FILES', os.listdir('.'))
                print('FLAGS', sys.flags.isolated, sys.flags.no_site)
                print('STDIN', repr(sys.stdin.read()))
                """);
        assertThat(run.passed()).as(run.output()).isTrue();
        assertThat(run.output()).contains("HOME_IS_CWD True", "FILES ['program.py']", "FLAGS 1 1", "STDIN ''");
        String env = run.output().lines().filter(l -> l.startsWith("ENV")).findFirst().orElseThrow();
        assertThat(env).contains("'HOME'", "'PATH'", "'TMPDIR'").doesNotContain("JAVA_HOME", "MAVEN", "USER");
    }

    @Test
    void infiniteLoopIsKilledAtTheTimeoutWithItsChildren() throws Exception {
        String marker = "t2-orphan-" + UUID.randomUUID();
        String program = """
                import subprocess, sys, time
                subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)  # %s'])  # idle: the CPU limit would not end it
                print('child started', flush=True)
                while True:
                    time.sleep(1)  # idle too: only the kill can end this run
                """.formatted(marker);
        CompletableFuture<SandboxRun> pending = CompletableFuture.supplyAsync(() -> SHORT.run(program));
        boolean seen = false;
        for (int i = 0; i < 150 && !seen && !pending.isDone(); i++) {
            seen = markedProcesses(marker) > 0;
            Thread.sleep(10);
        }
        SandboxRun run = pending.get();
        assertThat(seen).as("the child process was observed while the program ran: " + run.output()).isTrue();
        assertThat(run.timedOut()).isTrue();
        assertThat(run.passed()).isFalse();
        assertThat(run.output()).contains("child started");
        assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(5));
        Thread.sleep(200);
        assertThat(markedProcesses(marker)).as("children left running").isZero();
    }

    @Test
    void forkBombIsContained() throws Exception {
        SandboxRun run = SHORT.run("import os\nwhile True:\n    os.fork()\n");
        assertThat(run.passed()).isFalse();
        if (PythonSandbox.isolation().processLimitEnforced()) {
            // stopped by RLIMIT_NPROC, long before the clock
            assertThat(run.timedOut()).as(run.output()).isFalse();
            assertThat(run.output()).contains("Resource temporarily unavailable");
        }
        Thread.sleep(200);
        assertThat(markedProcesses(PythonSandbox.preamble(SHORT.limits()).lines().findFirst().orElseThrow()))
                .as("forked interpreters left running").isZero();
    }

    @Test
    void memoryHogGetsMemoryErrorNotTheMachinesMemory() {
        SandboxRun huge = SHORT.run("x = bytearray(8 * 1024 ** 3)\n"); // 8 GiB at once: refused by RLIMIT_AS
        assertThat(huge.timedOut()).isFalse();
        assertThat(huge.lastLine()).contains("MemoryError");
        // growing step by step (each block is touched) stops at the limit; a small limit keeps the test fast
        PythonSandbox small = new PythonSandbox(new PythonSandbox.Limits(Duration.ofSeconds(10), 256L << 20, 1L << 20, 16, 64, 4096));
        SandboxRun hog = small.run("blocks = []\nwhile True:\n    blocks.append(bytearray(16 * 1024 * 1024))\n");
        assertThat(hog.passed()).isFalse();
        assertThat(hog.timedOut()).isFalse();
        assertThat(hog.lastLine()).contains("MemoryError");
    }

    @Test
    void networkIsUnreachable() throws IOException {
        assumeTrue(PythonSandbox.isolation().networkBlocked(), "unshare is not available: " + PythonSandbox.isolation().describe());
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SandboxRun run = SHORT.run("import socket\nsocket.create_connection(('127.0.0.1', %d), timeout=1).close()\nprint('connected')\n"
                    .formatted(server.getLocalPort()));
            assertThat(run.passed()).as("reached a listening socket on the host: " + run.output()).isFalse();
            assertThat(run.output()).doesNotContain("connected").containsAnyOf("OSError", "Error");
        }
    }

    @Test
    void writesOutsideTheRunDirectoryDoNotSurvive() throws IOException {
        assumeTrue(PythonSandbox.isolation().writesConfined(), "write confinement needs setpriv and unshare: "
                + PythonSandbox.isolation().describe());
        Path outside = Path.of(System.getProperty("java.io.tmpdir"), "t2-escape-" + UUID.randomUUID());
        Path here = Path.of("t2-escape-" + UUID.randomUUID()).toAbsolutePath(); // the build directory
        SandboxRun run = SHORT.run("""
                import os
                results = []
                for path in [%s, %s, os.path.expanduser('~/../t2-home-escape')]:
                    try:
                        with open(path, 'w') as f:
                            f.write('escaped')
                        results.append('wrote ' + path)
                    except OSError as e:
                        results.append('blocked ' + path)
                print(results)
                open('inside.txt', 'w').write('fine')
                """.formatted(pyString(outside), pyString(here)));
        assertThat(run.passed()).as(run.output()).isTrue();
        assertThat(outside).doesNotExist();
        assertThat(here).doesNotExist();
        assertThat(run.output()).contains("blocked " + here);
    }

    @Test
    void outputIsCappedAndTheRestDrained() {
        PythonSandbox small = new PythonSandbox(new PythonSandbox.Limits(Duration.ofSeconds(5), 1L << 30, 1L << 20, 16, 64, 1000));
        SandboxRun run = small.run("import sys\nfor i in range(100000):\n    sys.stdout.write('x' * 100 + '\\n')\n");
        assertThat(run.passed()).isTrue();
        assertThat(run.truncated()).isTrue();
        assertThat(run.output()).hasSize(1000);
    }

    @Test
    void preambleLimitsAreInPlace() {
        SandboxRun run = SHORT.run("""
                import resource as r
                print('AS', r.getrlimit(r.RLIMIT_AS)[0] == 1 << 30)
                print('CPU', r.getrlimit(r.RLIMIT_CPU))
                print('FSIZE', r.getrlimit(r.RLIMIT_FSIZE)[0] == 16 << 20)
                print('NPROC', r.getrlimit(r.RLIMIT_NPROC))
                print('MAIN', __name__)
                """);
        assertThat(run.passed()).as(run.output()).isTrue();
        assertThat(run.output()).contains("AS True", "CPU (3, 3)", "FSIZE True", "NPROC (32, 32)", "MAIN __main__");
    }

    private static long markedProcesses(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .filter(p -> !p.info().commandLine().orElse("").contains("surefire")) // our own JVM's arguments
                .count();
    }

    private static String pyString(Path p) {
        return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
