package dev.t2.tasks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs untrusted Python (model-written code plus its tests) and reports whether it exited with status 0.
 *
 * <p>Every run gets a fresh temporary directory as working directory, HOME and TMPDIR, an environment
 * holding only PATH, HOME and TMPDIR, a closed stdin, and {@code python -I -S} (isolated: no user site,
 * no PYTHON* variables, no site-packages, no script directory on sys.path). Limits, and what enforces them:
 * <ul>
 *   <li>wall clock ({@link Limits#timeout}): the JVM kills the process tree, and with namespaces the kernel
 *       kills every process of the run's PID namespace when its first process dies;</li>
 *   <li>memory, CPU seconds, file size, processes, open files: {@code resource.setrlimit} (soft = hard)
 *       in a preamble before the program runs; inside a user namespace (or as nobody) the program cannot
 *       raise them — only a program running as real root outside namespaces could;</li>
 *   <li>network, other processes, stray files: user/net/pid/mount namespaces ({@code unshare}) and, when the
 *       JVM is root, running as nobody ({@code setpriv}); see {@link SandboxIsolation};</li>
 *   <li>output: only the first {@link Limits#outputBytes} bytes are kept, the rest is drained and dropped.</li>
 * </ul>
 * The isolation is detected once per JVM, strongest first; when a layer is unavailable the sandbox falls
 * back and logs what is missing.
 */
public final class PythonSandbox {
    private static final System.Logger LOG = System.getLogger(PythonSandbox.class.getName());
    private static final String PROGRAM_FILE = "program.py";
    private static final String PROBE_MARK = "t2-sandbox-ok";
    private static volatile SandboxIsolation detected;

    /**
     * Resource limits of one run.
     *
     * @param timeout      wall-clock limit; CPU seconds are limited to its ceiling plus one
     * @param memoryBytes  address-space limit (RLIMIT_AS)
     * @param fileBytes    largest file the program may write (RLIMIT_FSIZE)
     * @param processes    most processes of the run's user (RLIMIT_NPROC), the interpreter included
     * @param openFiles    most open file descriptors (RLIMIT_NOFILE)
     * @param outputBytes  output kept for the report
     */
    public record Limits(Duration timeout, long memoryBytes, long fileBytes, int processes, int openFiles, int outputBytes) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 1L << 30, 16L << 20, 32, 256, 64 * 1024);

        public Limits {
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
            if (memoryBytes <= 0 || fileBytes <= 0 || processes <= 0 || openFiles <= 0 || outputBytes <= 0)
                throw new IllegalArgumentException("limits must be positive: " + this);
        }

        public Limits withTimeout(Duration t) {
            return new Limits(t, memoryBytes, fileBytes, processes, openFiles, outputBytes);
        }

        long cpuSeconds() {
            return (timeout.toMillis() + 999) / 1000 + 1;
        }
    }

    private final Limits limits;

    public PythonSandbox() {
        this(Limits.DEFAULT);
    }

    public PythonSandbox(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /** The isolation this machine allows (detected on first use, then shared by all sandboxes). */
    public static SandboxIsolation isolation() {
        SandboxIsolation iso = detected;
        if (iso == null) {
            synchronized (PythonSandbox.class) {
                if (detected == null) detected = detect();
                iso = detected;
            }
        }
        return iso;
    }

    /** Runs one program to completion or to the timeout. Thread-safe: runs share nothing. */
    public SandboxRun run(String program) {
        return run(isolation(), limits, program);
    }

    private static SandboxRun run(SandboxIsolation iso, Limits limits, String program) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("t2-sandbox-");
            if (iso.asNobody()) Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.writeString(dir.resolve(PROGRAM_FILE), program, StandardCharsets.UTF_8);
            return execute(iso, limits, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("python sandbox could not run: " + e.getMessage(), e);
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    private static SandboxRun execute(SandboxIsolation iso, Limits limits, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>(iso.prefix(dir.toString()));
        cmd.addAll(List.of(iso.python(), "-I", "-S", "-c", preamble(limits), PROGRAM_FILE));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", dir.toString());
        env.put("TMPDIR", dir.toString()); // tempfile writes inside the run's directory
        long start = System.nanoTime();
        Process process = pb.start();
        process.getOutputStream().close(); // stdin closed: input() sees EOF instead of hanging
        CappedReader reader = new CappedReader(process.getInputStream(), limits.outputBytes());
        Thread readerThread = Thread.ofVirtual().start(reader);
        boolean finished;
        try {
            finished = process.waitFor(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running sandboxed python", e);
        }
        if (!finished) killTree(process);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        try {
            readerThread.join(Duration.ofSeconds(2));
            if (readerThread.isAlive()) process.getInputStream().close(); // an escaped grandchild still holds the pipe
            readerThread.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int exit = finished ? process.exitValue() : -1;
        return new SandboxRun(exit, !finished, reader.text(), reader.truncated(), elapsed);
    }

    /** SIGKILL to every descendant seen now and to the process itself, then wait for them to go. */
    private static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        // a process forked between the snapshot and the kill: look once more
        tree.addAll(process.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            for (ProcessHandle h : tree) h.onExit().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "sandboxed process tree did not exit after SIGKILL: " + e);
        }
    }

    /** Sets the limits (soft = hard, never above an existing hard limit), then runs the program as __main__. */
    static String preamble(Limits limits) {
        return String.join("\n",
                "import resource as _r, sys as _s, runpy as _p, builtins as _b",
                "for _k, _v in ((_r.RLIMIT_AS, " + limits.memoryBytes() + "), (_r.RLIMIT_CPU, " + limits.cpuSeconds() + "),"
                        + " (_r.RLIMIT_FSIZE, " + limits.fileBytes() + "), (_r.RLIMIT_NPROC, " + limits.processes() + "),"
                        + " (_r.RLIMIT_NOFILE, " + limits.openFiles() + "), (_r.RLIMIT_CORE, 0)):",
                "    _h = _r.getrlimit(_k)[1]",
                "    _v = _v if _h == _r.RLIM_INFINITY else min(_v, _h)",
                "    _r.setrlimit(_k, (_v, _v))",
                "_b.exit = _b.quit = _s.exit  # -S skips site, which defines these",
                "_s.argv = _s.argv[1:]",
                "del _k, _v, _h",
                "_p.run_path(_s.argv[0], run_name='__main__')");
    }

    private static SandboxIsolation detect() {
        boolean root = jvmIsRoot();
        Set<String> pythons = new LinkedHashSet<>();
        String configured = System.getProperty("t2.python", System.getenv("T2_PYTHON"));
        if (configured != null && !configured.isBlank()) {
            pythons.add(configured);
        } else {
            String resolved = resolvePython("python3");
            if (resolved != null) pythons.add(resolved);
            if (Files.isExecutable(Path.of("/usr/bin/python3"))) pythons.add("/usr/bin/python3");
        }
        if (pythons.isEmpty()) throw new IllegalStateException("no python3 found on PATH (set -Dt2.python=/path/to/python3)");
        List<boolean[]> layers = new ArrayList<>(); // {asNobody, namespaces}, strongest first
        if (root) layers.add(new boolean[] {true, true});
        layers.add(new boolean[] {false, true});
        if (root) layers.add(new boolean[] {true, false});
        layers.add(new boolean[] {false, false});
        List<String> failures = new ArrayList<>();
        for (boolean[] layer : layers) {
            for (String python : pythons) {
                SandboxIsolation candidate = new SandboxIsolation(python, layer[0], layer[1], root);
                String failure = probe(candidate);
                if (failure == null) {
                    boolean full = candidate.namespaces() && (candidate.asNobody() || !root);
                    LOG.log(full ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                            "python sandbox: " + candidate.describe() + (failures.isEmpty() ? "" : "; not usable: " + failures));
                    return candidate;
                }
                failures.add(candidate.describe() + " → " + failure);
            }
        }
        throw new IllegalStateException("python sandbox cannot run python at all: " + failures);
    }

    /** null when a trivial program runs under this isolation, else why not. */
    private static String probe(SandboxIsolation candidate) {
        try {
            SandboxRun r = run(candidate, Limits.DEFAULT, "print('" + PROBE_MARK + "')\n");
            if (r.passed() && r.output().contains(PROBE_MARK)) return null;
            return "exit " + r.exitCode() + (r.timedOut() ? " (timed out)" : "") + ": " + r.lastLine();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** The real interpreter behind a PATH name (pyenv shims are scripts that need the caller's HOME). */
    private static String resolvePython(String name) {
        try {
            Process p = new ProcessBuilder(name, "-c", "import sys; print(sys.executable)").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) return null;
            return out.lines().reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean jvmIsRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    p.toFile().setWritable(true); // a program may have made its files read-only
                    p.getParent().toFile().setWritable(true);
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException again) {
                        LOG.log(System.Logger.Level.WARNING, "could not remove sandbox file " + p + ": " + again.getMessage());
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not clean sandbox directory " + dir + ": " + e.getMessage());
        }
    }

    /** Reads a stream to its end, keeping the first {@code cap} bytes. */
    private static final class CappedReader implements Runnable {
        private final InputStream in;
        private final int cap;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean truncated;

        CappedReader(InputStream in, int cap) {
            this.in = in;
            this.cap = cap;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (kept) {
                        int room = cap - kept.size();
                        if (room > 0) kept.write(buf, 0, Math.min(room, n));
                        if (n > room) truncated = true;
                    }
                }
            } catch (IOException ignored) {
                // the stream was closed under us after a kill: keep what we have
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }

        boolean truncated() {
            return truncated;
        }
    }
}
