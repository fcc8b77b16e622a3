package dev.t2.adapt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2.io.AtomicFiles;
import dev.t2.svf.ExpertFile;
import dev.t2.svf.SvfExpert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A directory of SVF experts with a manifest, {@code experts.json}: {"experts": [{"name", "file", "domain",
 * "description"}]}. The domain is what prompt-based dispatch matches (code, math, reasoning).
 */
public final class ExpertLibrary {
    public static final String MANIFEST = "experts.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Entry(String name, Path file, String domain, String description, SvfExpert expert) {}

    private final Path dir;
    private final List<Entry> entries;

    private ExpertLibrary(Path dir, List<Entry> entries) {
        this.dir = dir;
        this.entries = List.copyOf(entries);
    }

    public static ExpertLibrary load(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) throw new IllegalArgumentException(dir + ": no " + MANIFEST + " (an expert library lists its experts there)");
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(manifest));
        } catch (IOException e) {
            throw new IllegalArgumentException(manifest + ": " + e.getMessage(), e);
        }
        if (root == null || !root.path("experts").isArray()) throw new IllegalArgumentException(manifest + ": expected {\"experts\": [...]}");
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : root.get("experts")) {
            String name = e.path("name").asText(""), file = e.path("file").asText("");
            if (name.isEmpty() || file.isEmpty()) throw new IllegalArgumentException(manifest + ": every expert needs a name and a file");
            if (entries.stream().anyMatch(x -> x.name().equals(name))) throw new IllegalArgumentException(manifest + ": expert '" + name + "' listed twice");
            Path path = dir.resolve(file);
            entries.add(new Entry(name, path, e.path("domain").asText("other"), e.path("description").asText(""), ExpertFile.read(path)));
        }
        return new ExpertLibrary(dir, entries);
    }

    /** Adds (or replaces) an expert in the manifest, writing it atomically. */
    public static void register(Path dir, String name, String file, String domain, String description) {
        Path manifest = dir.resolve(MANIFEST);
        ObjectNode root;
        try {
            root = Files.isRegularFile(manifest) ? (ObjectNode) JSON.readTree(Files.readString(manifest)) : JSON.createObjectNode();
        } catch (IOException e) {
            throw new IllegalArgumentException(manifest + ": " + e.getMessage(), e);
        }
        var list = root.withArray("experts");
        for (int i = list.size() - 1; i >= 0; i--) if (list.get(i).path("name").asText().equals(name)) list.remove(i);
        list.addObject().put("name", name).put("file", file).put("domain", domain).put("description", description);
        AtomicFiles.writeString(manifest, root.toPrettyString());
    }

    public List<Entry> entries() {
        return entries;
    }

    public Path directory() {
        return dir;
    }

    public Entry byDomain(String domain) {
        return entries.stream().filter(e -> e.domain().equalsIgnoreCase(domain)).findFirst().orElse(null);
    }

    public Entry byName(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no expert '" + name + "' in " + dir + " (have: " + entries.stream().map(Entry::name).toList() + ")"));
    }

    /** z' = Σ_k α_k·z_k with one global α per named expert. */
    public Map<String, float[]> mix(Map<String, Double> alphas) {
        List<SvfExpert> experts = new ArrayList<>();
        double[] a = new double[alphas.size()];
        int i = 0;
        for (var e : alphas.entrySet()) {
            experts.add(byName(e.getKey()).expert());
            a[i++] = e.getValue();
        }
        return SvfExpert.mix(experts, a);
    }

    /**
     * z'_m = Σ_k α_{k,m}·z_{k,m} with per-matrix α: {@code alphas} maps expert name → (matrix name → α); a matrix
     * missing from an expert's map takes that map's "default" entry, else 0.
     */
    public Map<String, float[]> mixPerMatrix(Map<String, Map<String, Double>> alphas) {
        List<SvfExpert> experts = new ArrayList<>();
        List<Map<String, Double>> weights = new ArrayList<>();
        for (var e : alphas.entrySet()) {
            SvfExpert expert = byName(e.getKey()).expert();
            for (var unknown : e.getValue().keySet()) {
                if (!unknown.equals("default") && !expert.scales().containsKey(unknown)) {
                    throw new IllegalArgumentException("expert '" + e.getKey() + "' has no matrix '" + unknown + "'");
                }
            }
            experts.add(expert);
            weights.add(e.getValue());
        }
        return SvfExpert.mix(experts, (k, matrix) -> weights.get(k).getOrDefault(matrix, weights.get(k).getOrDefault("default", 0.0)));
    }

    /** Per-matrix statistics of z (mean, std, min, max), in layer order, for `t2 experts show`. */
    public static Map<String, double[]> statistics(SvfExpert expert) {
        Map<String, double[]> out = new LinkedHashMap<>();
        expert.scales().forEach((name, z) -> {
            double sum = 0, sq = 0, min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
            for (float v : z) {
                sum += v;
                sq += v * v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double mean = sum / z.length;
            out.put(name, new double[] {mean, Math.sqrt(Math.max(0, sq / z.length - mean * mean)), min, max});
        });
        return out;
    }
}
