package dev.t2.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/** Splits index ranges across the cores. One shared pool; work below a threshold stays on the caller. */
public final class Parallel {
    private Parallel() {}

    private static final ForkJoinPool POOL = ForkJoinPool.commonPool();

    public static int threads() {
        return Math.max(1, POOL.getParallelism());
    }

    /** Calls {@code body.accept(chunkStart, chunkEnd)} on disjoint chunks covering [0, n). */
    public static void forChunks(int n, int minChunk, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(threads() * 4, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        POOL.invoke(new Split(body, n, chunks, 0, chunks));
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

    private static final class Split extends RecursiveAction {
        final RangeBody body;
        final int n, chunks, lo, hi;

        Split(RangeBody body, int n, int chunks, int lo, int hi) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                body.run((int) ((long) n * lo / chunks), (int) ((long) n * hi / chunks));
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Split(body, n, chunks, lo, mid), new Split(body, n, chunks, mid, hi));
        }
    }
}
