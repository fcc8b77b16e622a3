package dev.t2.cli;

import dev.t2.io.LoadedModel;
import dev.t2.io.ModelLoader;
import dev.t2.svf.Svd;
import dev.t2.svf.SvdCache;
import dev.t2.svf.SvfTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code t2 svd}: factorise the SVF target matrices once and cache them next to the model. */
@Command(name = "svd", mixinStandardHelpOptions = true, description = "Compute (or verify the cache of) the SVD of every SVF target matrix.")
final class SvdCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, description = "model")
    Path model;

    @Option(names = "--targets", description = "mlp (the reference's choice), attn or all (default: ${DEFAULT-VALUE})", defaultValue = "MLP")
    SvfTargets targets;

    @Option(names = "--cache-dir", description = "where factors are cached (default: <model dir>/.t2-cache)")
    Path cacheDir;

    @Override
    public Integer call() {
        LoadedModel loaded = ModelLoader.load(model);
        Path root = cacheRoot(loaded, cacheDir);
        List<String> names = targets.names(loaded.config().numLayers());
        long t0 = System.nanoTime();
        Map<String, Svd> svds = SvdCache.loadOrCompute(loaded.weights(), names, root);
        long rank = svds.values().stream().mapToLong(Svd::rank).sum();
        System.out.printf("%d matrices (%s), Σ rank %,d = SVF parameters, cached in %s, %.1f s%n", svds.size(), targets.name().toLowerCase(),
                rank, SvdCache.directory(root, loaded.weights(), names), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    static Path cacheRoot(LoadedModel loaded, Path explicit) {
        if (explicit != null) return explicit;
        Path dir = Files.isDirectory(loaded.source()) ? loaded.source() : loaded.source().toAbsolutePath().getParent();
        if (Files.isWritable(dir)) return dir.resolve(".t2-cache");
        return Path.of(System.getProperty("user.home"), ".cache", "t2");
    }
}
