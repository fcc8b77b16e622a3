package dev.t2.tasks;

import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link PythonSandbox} confines programs on this machine, detected once by trying each layer.
 *
 * @param python     the interpreter (resolved through shims such as pyenv's, so no shell script runs)
 * @param asNobody   programs run as uid/gid 65534 via {@code setpriv} (only possible when the JVM is root)
 * @param namespaces programs run in fresh user, network, PID and mount namespaces via {@code unshare}
 * @param jvmIsRoot  the JVM runs as root, for whom the kernel ignores the process-count limit
 */
public record SandboxIsolation(String python, boolean asNobody, boolean namespaces, boolean jvmIsRoot) {

    /** No network: the new network namespace has only a loopback device, and it is down. */
    public boolean networkBlocked() {
        return namespaces;
    }

    /** RLIMIT_NPROC holds unless the program's real user is root. */
    public boolean processLimitEnforced() {
        return asNobody || !jvmIsRoot;
    }

    /**
     * Writes land only in the run's directory: as nobody nothing else but world-writable directories accepts
     * them, and those (/tmp, /var/tmp, /dev/shm, /run/lock) are private tmpfs mounts that vanish with the run.
     */
    public boolean writesConfined() {
        return asNobody && namespaces;
    }

    /** The command words placed before the interpreter. */
    List<String> prefix(String workdir) {
        List<String> cmd = new ArrayList<>();
        if (asNobody) cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--no-new-privs", "--"));
        if (namespaces) {
            cmd.addAll(List.of("unshare", "--user", "--map-root-user", "--net", "--mount", "--pid", "--fork", "--kill-child",
                    "--mount-proc", "--", "/bin/sh", "-c", MOUNT_PRIVATE_TMP, "t2-sandbox", workdir));
        }
        return cmd;
    }

    /**
     * Inside the namespaces: cover the world-writable directories with private tmpfs mounts, then bind the
     * run directory back at its own path (--no-canonicalize so "." is the real directory, not its now-hidden
     * path) and start the interpreter there.
     */
    private static final String MOUNT_PRIVATE_TMP = """
            w="$1"; shift
            for d in /tmp /var/tmp /dev/shm /run/lock; do
              if [ -d "$d" ] && [ ! -L "$d" ]; then mount -t tmpfs -o size=64m,mode=1777 t2-sandbox "$d" || exit 97; fi
            done
            mkdir -p "$w" && mount --no-canonicalize --bind . "$w" && cd "$w" || exit 97
            exec "$@"
            """;

    public String describe() {
        List<String> layers = new ArrayList<>();
        layers.add(python);
        if (asNobody) layers.add("as nobody");
        layers.add(namespaces ? "in user/net/pid/mount namespaces (no network, private /tmp)" : "WITHOUT namespaces (network reachable)");
        layers.add(processLimitEnforced() ? "process limit enforced" : "process limit NOT enforced (root)");
        return String.join(", ", layers);
    }
}
