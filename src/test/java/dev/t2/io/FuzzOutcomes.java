package dev.t2.io;

import dev.t2.tensor.Tensor;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/**
 * Runs one fuzz case: the only acceptable outcomes are a successful open whose every tensor element can be
 * read, or a CheckpointException whose message names the file. Anything else (another exception type, an
 * Error such as OutOfMemoryError or StackOverflowError) fails the test with the case that caused it.
 */
final class FuzzOutcomes {
    int accepted;
    int rejected;

    interface Tensors {
        Collection<Tensor> all() throws CheckpointException;
    }

    <T> T open(String what, Path file, byte[] input, Callable<T> open) {
        try {
            return open.call();
        } catch (CheckpointException e) {
            if (e.getMessage() == null || !e.getMessage().contains(file.toString())) {
                throw failure(what, input, "CheckpointException does not name " + file, e);
            }
            rejected++;
            return null;
        } catch (Throwable t) {
            throw failure(what, input, "expected success or CheckpointException, got " + t, t);
        }
    }

    /** Reads every element of every tensor, as a float. */
    void readAll(String what, Path file, byte[] input, Tensors tensors) {
        accepted++;
        try {
            for (Tensor t : tensors.all()) {
                double sum = 0;
                for (long i = 0, n = t.size(); i < n; i++) sum += t.getFloat(i);
                if (sum == 0.123456789) throw new AssertionError("unreachable"); // keep the reads
            }
        } catch (CheckpointException e) {
            if (e.getMessage() == null || !e.getMessage().contains(file.toString())) {
                throw failure(what, input, "CheckpointException does not name " + file, e);
            }
        } catch (Throwable t) {
            throw failure(what, input, "reading an opened file threw " + t, t);
        }
    }

    private static AssertionError failure(String what, byte[] input, String problem, Throwable cause) {
        String head = input == null ? "" : "\n  first bytes: " + HexFormat.of().formatHex(input, 0, Math.min(input.length, 96));
        return new AssertionError("fuzz case " + what + ": " + problem + head, cause);
    }

    @Override
    public String toString() {
        return accepted + " opened, " + rejected + " rejected";
    }
}
