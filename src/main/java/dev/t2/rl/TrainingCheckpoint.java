package dev.t2.rl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.io.AtomicFiles;
import dev.t2.io.SafetensorsFile;
import dev.t2.io.SafetensorsWriter;
import dev.t2.model.Parameter;
import dev.t2.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a trainer needs to resume bit-identically: the trainable values, Adam's moments and step count, the next
 * step, plus trainer-specific metadata; written atomically as safetensors. Also trims a metrics log back to the
 * checkpoint, since lines written after it are written again by the resumed run.
 */
public final class TrainingCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingCheckpoint() {}

    public static void save(Path file, List<Parameter> params, Adam adam, int nextStep, Map<String, String> extra) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            t.put(p.name(), Tensor.ofFloats(p.name(), p.value().clone(), p.size()));
            t.put(p.name() + ".adam_m", Tensor.ofFloats(p.name() + ".adam_m", adam.firstMoments().get(i).clone(), p.size()));
            t.put(p.name() + ".adam_v", Tensor.ofFloats(p.name() + ".adam_v", adam.secondMoments().get(i).clone(), p.size()));
        }
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.put("next_step", Integer.toString(nextStep));
        meta.put("adam_steps", Long.toString(adam.steps()));
        SafetensorsWriter.write(file, t, meta);
    }

    /** Restores values and optimizer state; returns the checkpoint's metadata ("next_step" and the trainer's own). */
    public static Map<String, String> restore(Path file, List<Parameter> params, Adam adam) {
        SafetensorsFile f = SafetensorsFile.open(file);
        List<float[]> m = new ArrayList<>(), v = new ArrayList<>();
        for (Parameter p : params) {
            float[] saved = f.tensor(p.name()).toFloatArray();
            if (saved.length != p.size()) throw new IllegalArgumentException(file + ": " + p.name() + " has another shape; not this model's checkpoint");
            System.arraycopy(saved, 0, p.value(), 0, saved.length);
            m.add(f.tensor(p.name() + ".adam_m").toFloatArray());
            v.add(f.tensor(p.name() + ".adam_v").toFloatArray());
        }
        adam.restore(Long.parseLong(f.metadata().get("adam_steps")), m, v);
        return f.metadata();
    }

    /** Keeps only the metrics lines of steps before {@code nextStep}. */
    public static void trimMetrics(Path metrics, int nextStep) throws IOException {
        if (!Files.isRegularFile(metrics)) return;
        StringBuilder kept = new StringBuilder();
        for (String line : Files.readAllLines(metrics)) if (JSON.readTree(line).get("step").asInt() < nextStep) kept.append(line).append('\n');
        AtomicFiles.writeString(metrics, kept.toString());
    }
}
