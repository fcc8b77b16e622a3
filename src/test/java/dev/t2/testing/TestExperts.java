package dev.t2.testing;

import dev.t2.adapt.ExpertLibrary;
import dev.t2.io.LoadedModel;
import dev.t2.svf.ExpertFile;
import dev.t2.svf.SvdCache;
import dev.t2.svf.SvfExpert;
import dev.t2.svf.SvfTargets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A library of experts with random scales (math, code) for a model, written in the real file formats. */
public final class TestExperts {
    private TestExperts() {}

    public static ExpertLibrary write(LoadedModel m, Path dir) {
        List<String> names = SvfTargets.MLP.names(m.config().numLayers());
        String fingerprint = SvdCache.fingerprint(m.weights(), names);
        Random rnd = new Random(1);
        for (String domain : new String[] {"math", "code"}) {
            Map<String, float[]> scales = new LinkedHashMap<>();
            Map<String, int[]> shapes = new LinkedHashMap<>();
            for (String n : names) {
                var w = m.weights().byName().get(n + ".weight");
                float[] z = new float[Math.min(w.rows(), w.cols())];
                for (int i = 0; i < z.length; i++) z[i] = 0.2f + 0.8f * rnd.nextFloat();
                scales.put(n, z);
                shapes.put(n, new int[] {w.rows(), w.cols()});
            }
            ExpertFile.write(dir.resolve(domain + ".safetensors"), new SvfExpert(scales, shapes, fingerprint, m.config().architecture(),
                    SvfTargets.MLP, Map.of("task", domain)));
            ExpertLibrary.register(dir, domain + "-expert", domain + ".safetensors", domain, "random scales for tests");
        }
        return ExpertLibrary.load(dir);
    }
}
