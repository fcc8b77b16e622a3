package dev.t2.svf;

import dev.t2.io.CheckpointException;
import dev.t2.io.SafetensorsFile;
import dev.t2.io.SafetensorsWriter;
import dev.t2.model.LlamaWeights;
import dev.t2.tensor.Parallel;
import dev.t2.tensor.Tensor;
import dev.t2.util.Progress;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * SVDs of a model's target matrices, computed once and cached as one safetensors file per matrix
 * (U, S, V in f32) under {@code <root>/svd-<fingerprint>/}, where the fingerprint hashes the base weights, so
 * a changed checkpoint never reuses stale factors. Each file is written atomically as soon as it is done:
 * an interrupted run resumes where it stopped. Every factorisation is checked for reconstruction error.
 */
public final class SvdCache {
    /** Worst relative reconstruction error accepted (f32 factors of f32/bf16 weights reach ~1e-6). */
    public static final double MAX_RECONSTRUCTION_ERROR = 1e-3;

    private SvdCache() {}

    /** SHA-256 over names, dtypes, shapes and bytes of the matrices, as 16 hex digits. */
    public static String fingerprint(LlamaWeights weights, List<String> projections) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Map<String, Tensor> byName = weights.byName();
            byte[] buf = new byte[1 << 20];
            for (String p : projections) {
                Tensor t = byName.get(p + ".weight");
                sha.update((p + t.dtype() + java.util.Arrays.toString(t.shape())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                long size = t.data().byteSize();
                for (long pos = 0; pos < size; pos += buf.length) {
                    int n = (int) Math.min(buf.length, size - pos);
                    java.lang.foreign.MemorySegment.copy(t.data(), ValueLayout.JAVA_BYTE, pos, buf, 0, n);
                    sha.update(buf, 0, n);
                }
            }
            return java.util.HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The directory the factors of these weights live in. */
    public static Path directory(Path root, LlamaWeights weights, List<String> projections) {
        return root.resolve("svd-" + fingerprint(weights, projections));
    }

    /**
     * Factors of every projection, loaded from the cache or computed (in parallel, with progress and ETA)
     * and stored there.
     */
    public static Map<String, Svd> loadOrCompute(LlamaWeights weights, List<String> projections, Path root) {
        Path dir = directory(root, weights, projections);
        Map<String, Tensor> byName = weights.byName();
        Map<String, Svd> result = new LinkedHashMap<>();
        List<String> missing = new java.util.ArrayList<>();
        for (String p : projections) {
            Path file = dir.resolve(p + ".safetensors");
            if (Files.isRegularFile(file)) result.put(p, read(file, byName.get(p + ".weight")));
            else missing.add(p);
        }
        if (missing.isEmpty()) return orderedAs(projections, result);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new CheckpointException(dir + ": cannot create the SVD cache: " + e.getMessage(), e);
        }
        Progress progress = new Progress("svd", missing.size());
        ExecutorService pool = Executors.newFixedThreadPool(Parallel.threads());
        try {
            List<Future<Svd>> futures = new java.util.ArrayList<>();
            for (String p : missing) {
                futures.add(pool.submit(() -> {
                    Tensor w = byName.get(p + ".weight");
                    Svd svd = Svd.of(w);
                    double error = svd.reconstructionError(w);
                    if (error > MAX_RECONSTRUCTION_ERROR) throw new IllegalStateException("SVD of " + p + " reconstructs with relative error " + error);
                    write(dir.resolve(p + ".safetensors"), svd, error);
                    progress.advance(1, p);
                    return svd;
                }));
            }
            for (int i = 0; i < missing.size(); i++) result.put(missing.get(i), futures.get(i).get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("SVD interrupted; finished matrices are cached in " + dir);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return orderedAs(projections, result);
    }

    private static Map<String, Svd> orderedAs(List<String> order, Map<String, Svd> found) {
        Map<String, Svd> out = new LinkedHashMap<>();
        for (String p : order) out.put(p, found.get(p));
        return out;
    }

    private static void write(Path file, Svd svd, double error) {
        int r = svd.rank();
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("U", Tensor.ofFloats("U", svd.u(), svd.out(), r));
        t.put("S", Tensor.ofFloats("S", svd.sigma(), r));
        t.put("V", Tensor.ofFloats("V", svd.v(), svd.in(), r));
        SafetensorsWriter.write(file, t, Map.of("reconstruction_error", Double.toString(error), "created_by", "t2 svd"));
    }

    private static Svd read(Path file, Tensor weight) {
        SafetensorsFile f = SafetensorsFile.open(file);
        int out = weight.rows(), in = weight.cols(), r = Math.min(out, in);
        Tensor u = f.tensor("U"), s = f.tensor("S"), v = f.tensor("V");
        if (u.rows() != out || u.cols() != r || s.size() != r || v.rows() != in || v.cols() != r) {
            throw new CheckpointException(file + ": cached factors do not fit " + weight.describe() + "; delete the file to recompute");
        }
        return new Svd(out, in, u.toFloatArray(), s.toFloatArray(), v.toFloatArray());
    }
}
