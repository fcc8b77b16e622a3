package dev.t2.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Splits index ranges across the cores. A resident team of worker threads (one per core beyond the caller's) takes
 * chunks from a shared counter while the calling thread works too. After a job, workers spin for a short while
 * before parking: decoding a token issues a couple of hundred sub-millisecond matmuls back to back, and waking a
 * parked thread for each one (as a ForkJoinPool does) measured about 10% of a bf16 matvec's time.
 * A call made while another is running (nested, or from a second thread) runs on its caller alone.
 */
public final class Parallel {
    private Parallel() {}

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** How long an idle worker stays awake for the next job; long enough to bridge the gaps between kernels. */
    private static final long SPIN_NANOS = Long.getLong("t2.parallel.spinMicros", 500) * 1000;
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static volatile Job current;
    private static final Worker[] WORKERS = new Worker[THREADS - 1];

    static {
        for (int i = 0; i < WORKERS.length; i++) {
            WORKERS[i] = new Worker();
            Thread t = Thread.ofPlatform().daemon().name("t2-parallel-" + (i + 1)).unstarted(WORKERS[i]);
            WORKERS[i].thread = t;
            t.start();
        }
    }

    /** Threads that share a job: the caller plus the workers. */
    public static int threads() {
        return THREADS;
    }

    /** Calls {@code body.run(chunkStart, chunkEnd)} on disjoint chunks covering [0, n). */
    public static void forChunks(int n, int minChunk, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(THREADS * 4, Math.max(1, n / Math.max(1, minChunk)));
        int[] bounds = new int[chunks + 1];
        for (int c = 0; c <= chunks; c++) bounds[c] = (int) ((long) n * c / chunks);
        run(bounds, body);
    }

    /**
     * As {@link #forChunks}, with chunks that shrink as the work runs out: each takes 1/(2·threads) of what is left
     * (at least minChunk). Equal chunks leave the cores waiting on the last one for half a chunk on average, about
     * 6 % of a decode matvec with 2 cores and 8 chunks; shrinking chunks end nearly together. The cut depends on n
     * alone, not on timing.
     */
    public static void forTaperedChunks(int n, int minChunk, RangeBody body) {
        if (n <= 0) return;
        int chunks = 0;
        for (int at = 0; at < n; chunks++) at = taperedEnd(at, n, minChunk);
        int[] bounds = new int[chunks + 1]; // a few dozen: counted first, since n may be a vocabulary's rows
        for (int c = 1; c <= chunks; c++) bounds[c] = taperedEnd(bounds[c - 1], n, minChunk);
        run(bounds, body);
    }

    /** Where the tapered chunk starting at {@code at} ends. */
    private static int taperedEnd(int at, int n, int minChunk) {
        return at + Math.min(n - at, Math.max(Math.max(1, minChunk), (n - at + 2 * THREADS - 1) / (2 * THREADS)));
    }

    /** Runs body over [bounds[c], bounds[c + 1]) for every chunk c, on the caller alone when the team is busy. */
    private static void run(int[] bounds, RangeBody body) {
        int chunks = bounds.length - 1;
        if (chunks <= 1 || WORKERS.length == 0 || !BUSY.compareAndSet(false, true)) {
            body.run(0, bounds[chunks]);
            return;
        }
        Job job = new Job(body, bounds);
        try {
            current = job;
            for (Worker w : WORKERS) {
                if (w.parked) LockSupport.unpark(w.thread);
            }
            job.work();
            job.awaitDone();
        } finally {
            current = null;
            BUSY.set(false);
        }
        Throwable failure = job.failure.get();
        if (failure instanceof RuntimeException e) throw e;
        if (failure instanceof Error e) throw e;
    }

    /** Calls {@code body.accept(i)} for every i in [0, n), in parallel. */
    public static void forEach(int n, IntConsumer body) {
        forChunks(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) body.accept(i);
        });
    }

    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** One call's chunks, handed out in order to whichever thread asks next. */
    private static final class Job {
        final RangeBody body;
        final int[] bounds;
        final int chunks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger unfinished;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(RangeBody body, int[] bounds) {
            this.body = body;
            this.bounds = bounds;
            this.chunks = bounds.length - 1;
            this.unfinished = new AtomicInteger(chunks);
        }

        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    if (failure.get() == null) body.run(bounds[c], bounds[c + 1]);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    unfinished.decrementAndGet();
                }
            }
        }

        /** The caller has no chunks left; the workers' last ones are short, so spin rather than block. */
        void awaitDone() {
            for (int spins = 0; unfinished.get() > 0; spins++) {
                if (spins < 1 << 16) Thread.onSpinWait();
                else Thread.yield();
            }
        }
    }

    private static final class Worker implements Runnable {
        Thread thread;
        volatile boolean parked;

        @Override
        public void run() {
            Job done = null;
            long idleSince = System.nanoTime();
            while (true) {
                Job job = current;
                if (job != null && job != done) {
                    job.work();
                    done = job;
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    // Announce the park, then look once more: a job published in between is either seen here or
                    // finds parked set and unparks this thread.
                    parked = true;
                    if (current == null || current == done) LockSupport.park(this);
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
