package dev.t2.mesa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An attention-only model: token layout, one attention kind per layer, heads × headDim per layer, init scale. */
public record ModelSpec(String name, TokenLayout tokens, List<AttentionKind> layers, int heads, int headDim, float initStd) {
    public ModelSpec {
        if (layers.isEmpty()) throw new IllegalArgumentException(name + ": a model needs at least one layer");
        if (heads <= 0 || headDim <= 0) throw new IllegalArgumentException(name + ": heads and head dim must be positive");
        if (!(initStd > 0)) throw new IllegalArgumentException(name + ": init std must be positive");
        layers = List.copyOf(layers);
    }

    /** The models the report trains. */
    public static final Map<String, ModelSpec> PRESETS = Map.of(
            "linear-1", new ModelSpec("linear-1", TokenLayout.CONSTRUCTED, List.of(AttentionKind.LINEAR), 1, 40, 0.05f),
            "linear-2", new ModelSpec("linear-2", TokenLayout.CONSTRUCTED, List.of(AttentionKind.LINEAR, AttentionKind.LINEAR), 4, 10, 0.05f),
            "linear-4", new ModelSpec("linear-4", TokenLayout.CONSTRUCTED, List.of(AttentionKind.LINEAR, AttentionKind.LINEAR, AttentionKind.LINEAR, AttentionKind.LINEAR), 4, 10, 0.05f),
            "mesa-1", new ModelSpec("mesa-1", TokenLayout.CONSTRUCTED, List.of(AttentionKind.MESA), 1, 10, 0.05f),
            "softmax-linear-raw", new ModelSpec("softmax-linear-raw", TokenLayout.RAW, List.of(AttentionKind.SOFTMAX, AttentionKind.LINEAR), 4, 10, 0.05f));

    public static ModelSpec preset(String name) {
        ModelSpec s = PRESETS.get(name);
        if (s == null) throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", PRESETS.keySet().stream().sorted().toList()));
        return s;
    }

    /** Parses "linear,linear" style layer lists. */
    public static List<AttentionKind> parseLayers(String text) {
        List<AttentionKind> out = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                out.add(AttentionKind.valueOf(part.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown layer kind '" + part.strip() + "' (linear, softmax or mesa)");
            }
        }
        return out;
    }
}
