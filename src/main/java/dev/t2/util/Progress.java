package dev.t2.util;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/** One-line progress with rate and ETA on stderr, for long work (SVD, training, evaluation). */
public final class Progress {
    private final String label;
    private final long total;
    private final PrintStream out;
    private final LongSupplier clock;
    private final long start;
    private long done;
    /** Units done by an earlier run that this one resumes: they took none of this run's time, so the rate excludes them. */
    private long resumed;
    private long lastPrint;

    public Progress(String label, long total) {
        this(label, total, System.err);
    }

    public Progress(String label, long total, PrintStream out) {
        this(label, total, out, System::nanoTime);
    }

    Progress(String label, long total, PrintStream out, LongSupplier clock) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    /** Marks the {@code n} units an interrupted run finished as done, without counting them towards this run's rate. */
    public synchronized void resumed(long n) {
        resumed += n;
        advance(n, "resumed");
    }

    /** Marks {@code n} more units done; prints at most every half second (and always at the end). */
    public synchronized void advance(long n, String detail) {
        done += n;
        long now = clock.getAsLong();
        if (done < total && now - lastPrint < 500_000_000L) return;
        lastPrint = now;
        double elapsed = (now - start) / 1e9;
        long doneHere = done - resumed;
        double eta = done >= total ? 0 : doneHere == 0 ? Double.NaN : elapsed / doneHere * (total - done);
        int width = 24, filled = (int) (width * done / Math.max(1, total));
        out.printf("\r[%s] %s%s %d/%d %s elapsed %s, ETA %s   ", label, "#".repeat(filled), ".".repeat(width - filled), done, total,
                detail == null ? "" : detail, duration(elapsed), Double.isNaN(eta) ? "?" : duration(eta));
        if (done >= total) out.println();
        out.flush();
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        return (s / 3600) + "h" + String.format("%02d", s / 60 % 60) + "m";
    }
}
