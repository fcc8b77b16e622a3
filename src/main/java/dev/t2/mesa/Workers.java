package dev.t2.mesa;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/** Runs indexed tasks on a fixed number of daemon threads (1 = inline), so a run never takes more cores than asked. */
public final class Workers {
    private final int threads;
    private final ExecutorService pool;

    public Workers(int threads) {
        if (threads <= 0) throw new IllegalArgumentException("threads must be positive, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mesa-worker");
            t.setDaemon(true);
            return t;
        });
    }

    public static final Workers INLINE = new Workers(1);

    public int threads() {
        return threads;
    }

    /** Runs task(0 … n−1), returning when all are done; the first failure is rethrown. */
    public void forEach(int n, IntConsumer task) {
        if (pool == null) {
            for (int i = 0; i < n; i++) task.accept(i);
            return;
        }
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            done.add(pool.submit(() -> task.accept(index)));
        }
        try {
            for (Future<?> f : done) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }
}
