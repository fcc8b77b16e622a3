package dev.t2.svf;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.io.CheckpointException;
import dev.t2.io.SafetensorsFile;
import dev.t2.io.SafetensorsWriter;
import dev.t2.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Expert files: safetensors holding one f32 tensor "<projection>.z" (the post-sigmoid scale) per adapted matrix,
 * with JSON-able metadata: format, base fingerprint, architecture, targets, shapes, and free-form training info
 * (task, steps, validation score, training config, creation time). Written atomically.
 */
public final class ExpertFile {
    public static final String FORMAT = "t2-svf-expert-v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExpertFile() {}

    public static void write(Path file, SvfExpert expert) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        expert.scales().forEach((p, z) -> tensors.put(p + ".z", Tensor.ofFloats(p + ".z", z, z.length)));
        Map<String, String> meta = new LinkedHashMap<>(expert.info());
        meta.put("format", FORMAT);
        meta.put("base_fingerprint", expert.baseFingerprint());
        meta.put("architecture", expert.architecture());
        meta.put("targets", expert.targets().name().toLowerCase());
        meta.put("parameters", Long.toString(expert.parameterCount()));
        meta.put("shapes", JSON.valueToTree(expert.shapes()).toString());
        SafetensorsWriter.write(file, tensors, meta);
    }

    public static SvfExpert read(Path file) {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, String> meta = new LinkedHashMap<>(f.metadata());
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(file + ": not a t2 SVF expert (format '" + meta.get("format") + "', expected '" + FORMAT + "')");
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        try {
            JSON.readTree(meta.get("shapes")).fields().forEachRemaining(e -> shapes.put(e.getKey(),
                    new int[] {e.getValue().get(0).asInt(), e.getValue().get(1).asInt()}));
        } catch (Exception e) {
            throw new CheckpointException(file + ": unreadable 'shapes' metadata: " + e.getMessage(), e);
        }
        Map<String, float[]> scales = new LinkedHashMap<>();
        for (String name : f.names()) {
            if (!name.endsWith(".z")) throw new CheckpointException(file + ": unexpected tensor '" + name + "' in an expert");
            String p = name.substring(0, name.length() - 2);
            float[] z = f.tensor(name).toFloatArray();
            int[] shape = shapes.get(p);
            if (shape == null || z.length != Math.min(shape[0], shape[1])) {
                throw new CheckpointException(file + ": tensor '" + name + "' does not match its recorded shape");
            }
            scales.put(p, z);
        }
        SvfTargets targets;
        try {
            targets = SvfTargets.valueOf(meta.getOrDefault("targets", "").toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": unknown targets '" + meta.get("targets") + "'");
        }
        String fingerprint = meta.remove("base_fingerprint"), arch = meta.remove("architecture");
        if (fingerprint == null || arch == null) throw new CheckpointException(file + ": expert metadata lacks base_fingerprint or architecture");
        for (String k : new String[] {"format", "targets", "shapes", "parameters"}) meta.remove(k);
        return new SvfExpert(scales, shapes, fingerprint, arch, targets, meta);
    }
}
