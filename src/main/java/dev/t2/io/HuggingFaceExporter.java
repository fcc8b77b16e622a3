package dev.t2.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.RopeLayout;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import dev.t2.tokenizer.Llama2cTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a loaded model as a Hugging Face directory (config.json, model.safetensors, tokenizer files) that
 * transformers and t2 load unchanged. q/k rows are permuted to the rotate-half layout when the source is
 * interleaved. The directory appears complete or not at all (built beside the target, then renamed).
 */
public final class HuggingFaceExporter {
    private HuggingFaceExporter() {}

    /** @param dtype target dtype, or null to keep each tensor's (quantized tensors then become BF16) */
    public static void export(LoadedModel model, Path outDir, DType dtype) {
        if (Files.exists(outDir)) throw new IllegalArgumentException(outDir + " already exists; choose a new output directory");
        ModelConfig c = model.config();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        LlamaWeights w = model.weights();
        w.byName().forEach((name, t) -> {
            Tensor out = t;
            if (c.ropeInterleaved()) {
                if (name.contains("q_proj.")) out = RopeLayout.toRotateHalf(out, c.numHeads(), c.headDim());
                if (name.contains("k_proj.")) out = RopeLayout.toRotateHalf(out, c.numKvHeads(), c.headDim());
            }
            DType target = dtype != null ? dtype : t.dtype().isQuantized() ? DType.BF16 : t.dtype();
            tensors.put(name, out.convertTo(target));
        });
        ModelConfig hfConfig = c.withRopeInterleaved(false);
        DType main = tensors.get("model.embed_tokens.weight").dtype();
        ObjectNode json = hfConfig.toHuggingFaceJson(switch (main) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> "float32";
        });
        Path tmp = outDir.toAbsolutePath().resolveSibling("." + outDir.getFileName() + ".partial");
        try {
            deleteRecursively(tmp);
            Files.createDirectories(tmp);
            Files.writeString(tmp.resolve("config.json"), json.toPrettyString());
            SafetensorsWriter.write(tmp.resolve("model.safetensors"), tensors, Map.of("format", "pt", "converted_by", "t2 convert"));
            writeTokenizer(model, tmp);
            Files.move(tmp, outDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outDir + ": " + e.getMessage(), e);
        } finally {
            deleteRecursively(tmp);
        }
    }

    private static void writeTokenizer(LoadedModel model, Path dir) throws IOException {
        if (model.tokenizer() instanceof Llama2cTokenizer l2c) {
            Files.writeString(dir.resolve("tokenizer.json"), l2c.toHuggingFaceJson().toPrettyString());
            Files.writeString(dir.resolve("tokenizer_config.json"), """
                    {"add_bos_token": true, "add_eos_token": false, "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", \
                    "model_max_length": %d, "tokenizer_class": "LlamaTokenizer"}
                    """.formatted(model.config().maxPositions()));
            return;
        }
        if (model.format().equals("gguf")) {
            try (GgufFile g = GgufFile.open(model.source())) {
                for (var f : GgufTokenizer.huggingFaceFiles(g).entrySet()) Files.writeString(dir.resolve(f.getKey()), f.getValue());
            }
            return;
        }
        Path src = Files.isDirectory(model.source()) ? model.source() : model.source().getParent();
        boolean copied = false;
        for (String f : new String[] {"tokenizer.json", "tokenizer_config.json", "generation_config.json", "special_tokens_map.json", "chat_template.jinja"}) {
            if (Files.isRegularFile(src.resolve(f))) {
                Files.copy(src.resolve(f), dir.resolve(f));
                copied = true;
            }
        }
        if (!copied) throw new CheckpointException(model.source() + ": no tokenizer files to export");
    }

    private static void deleteRecursively(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // leftovers of a failed export are only a hidden .partial directory
        }
    }
}
