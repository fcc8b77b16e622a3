package dev.t2.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Shape and hyper-parameters of a Llama-family decoder (Llama 2/3, Qwen2, Mistral, llama2.c).
 *
 * @param ropeInterleaved true when rotary pairs are adjacent (x[2i], x[2i+1]) as in llama2.c / GGUF-llama;
 *                        false for Hugging Face's rotate-half layout (x[i], x[i + d/2])
 * @param attentionBias   q/k/v projections carry a bias (Qwen2)
 * @param slidingWindow   attend to at most this many previous positions, 0 for unlimited (Mistral v0.1)
 */
public record ModelConfig(
        String architecture,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int vocabSize,
        int maxPositions,
        float rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean ropeInterleaved,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        int slidingWindow,
        int bosTokenId,
        List<Integer> eosTokenIds) {

    public static final List<String> ARCHITECTURES = List.of("LlamaForCausalLM", "Qwen2ForCausalLM", "MistralForCausalLM");

    public ModelConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
        check(hiddenSize > 0, "hidden_size must be > 0");
        check(intermediateSize > 0, "intermediate_size must be > 0");
        check(numLayers > 0, "num_hidden_layers must be > 0");
        check(numHeads > 0 && numKvHeads > 0, "attention head counts must be > 0");
        check(numHeads % numKvHeads == 0, "num_attention_heads (" + numHeads + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        check(headDim > 0 && headDim % 2 == 0, "head_dim must be even and > 0, got " + headDim);
        check(vocabSize > 0, "vocab_size must be > 0");
        check(rmsNormEps > 0, "rms_norm_eps must be > 0");
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    public int queryDim() {
        return numHeads * headDim;
    }

    public int kvDim() {
        return numKvHeads * headDim;
    }

    /** Query heads sharing one key/value head (grouped-query attention). */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    public ModelConfig withRopeInterleaved(boolean interleaved) {
        return new ModelConfig(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                vocabSize, maxPositions, rmsNormEps, ropeTheta, ropeScaling, interleaved, tieWordEmbeddings,
                attentionBias, slidingWindow, bosTokenId, eosTokenIds);
    }

    public ModelConfig withTieWordEmbeddings(boolean tied) {
        return new ModelConfig(architecture, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                vocabSize, maxPositions, rmsNormEps, ropeTheta, ropeScaling, ropeInterleaved, tied,
                attentionBias, slidingWindow, bosTokenId, eosTokenIds);
    }

    /** Reads a Hugging Face {@code config.json} (transformers 4.x layout and 5.x {@code rope_parameters}). */
    public static ModelConfig readHuggingFace(Path configJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(configJson));
        } catch (IOException e) {
            throw new IllegalArgumentException(configJson + ": cannot read config: " + e.getMessage(), e);
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(configJson + ": " + e.getMessage(), e);
        }
    }

    static ModelConfig fromJson(JsonNode root) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("config is not a JSON object");
        String arch = architecture(root);
        int hidden = requiredInt(root, "hidden_size");
        int heads = requiredInt(root, "num_attention_heads");
        int kvHeads = root.path("num_key_value_heads").isNumber() ? root.get("num_key_value_heads").asInt() : heads;
        int headDim = root.path("head_dim").isNumber() ? root.get("head_dim").asInt() : hidden / heads;
        if (!root.path("head_dim").isNumber() && hidden % heads != 0) {
            throw new IllegalArgumentException("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
        }
        String act = root.path("hidden_act").asText("silu");
        if (!act.equals("silu") && !act.equals("swish")) {
            throw new IllegalArgumentException("unsupported hidden_act '" + act + "' (Llama-family models use silu)");
        }
        JsonNode ropeParams = root.path("rope_parameters");
        double theta = root.path("rope_theta").isNumber() ? root.get("rope_theta").asDouble()
                : ropeParams.path("rope_theta").asDouble(10000.0);
        JsonNode scalingNode = root.path("rope_scaling").isObject() ? root.get("rope_scaling") : ropeParams;
        RopeScaling scaling = ropeScaling(scalingNode);
        boolean qwen = arch.equals("Qwen2ForCausalLM");
        boolean bias = qwen || root.path("attention_bias").asBoolean(false);
        if (root.path("mlp_bias").asBoolean(false)) throw new IllegalArgumentException("mlp_bias=true is not supported");
        int window = 0;
        JsonNode sw = root.path("sliding_window");
        boolean windowUsed = qwen ? root.path("use_sliding_window").asBoolean(false) : true;
        if (sw.isNumber() && windowUsed) window = sw.asInt();
        return new ModelConfig(arch, hidden, requiredInt(root, "intermediate_size"), requiredInt(root, "num_hidden_layers"),
                heads, kvHeads, headDim, requiredInt(root, "vocab_size"),
                root.path("max_position_embeddings").asInt(2048),
                (float) root.path("rms_norm_eps").asDouble(1e-6), theta, scaling, false,
                root.path("tie_word_embeddings").asBoolean(qwen), bias, window,
                root.path("bos_token_id").isNumber() ? root.get("bos_token_id").asInt() : -1, ids(root.path("eos_token_id")));
    }

    private static String architecture(JsonNode root) {
        JsonNode archs = root.path("architectures");
        if (!archs.isArray() || archs.isEmpty()) {
            String type = root.path("model_type").asText("");
            return switch (type) {
                case "llama" -> "LlamaForCausalLM";
                case "qwen2" -> "Qwen2ForCausalLM";
                case "mistral" -> "MistralForCausalLM";
                default -> throw new IllegalArgumentException("no 'architectures' and unknown model_type '" + type + "'");
            };
        }
        String arch = archs.get(0).asText();
        if (!ARCHITECTURES.contains(arch)) {
            throw new IllegalArgumentException("unsupported architecture '" + arch + "' (supported: " + String.join(", ", ARCHITECTURES) + ")");
        }
        return arch;
    }

    private static RopeScaling ropeScaling(JsonNode node) {
        if (node == null || !node.isObject()) return RopeScaling.NONE;
        String type = node.has("rope_type") ? node.get("rope_type").asText() : node.path("type").asText("default");
        if (type.equals("default")) return RopeScaling.NONE;
        return new RopeScaling(type, node.path("factor").asDouble(1.0), node.path("low_freq_factor").asDouble(1.0),
                node.path("high_freq_factor").asDouble(4.0), node.path("original_max_position_embeddings").asInt(8192));
    }

    /** This config as a transformers {@code config.json} (rotary rows must be in the rotate-half layout). */
    public com.fasterxml.jackson.databind.node.ObjectNode toHuggingFaceJson(String torchDtype) {
        if (ropeInterleaved) throw new IllegalStateException("permute q/k rows to the rotate-half layout before writing an HF config");
        var json = new ObjectMapper().createObjectNode();
        json.putArray("architectures").add(architecture);
        json.put("model_type", switch (architecture) {
            case "Qwen2ForCausalLM" -> "qwen2";
            case "MistralForCausalLM" -> "mistral";
            default -> "llama";
        });
        json.put("hidden_size", hiddenSize);
        json.put("intermediate_size", intermediateSize);
        json.put("num_hidden_layers", numLayers);
        json.put("num_attention_heads", numHeads);
        json.put("num_key_value_heads", numKvHeads);
        json.put("head_dim", headDim);
        json.put("vocab_size", vocabSize);
        json.put("max_position_embeddings", maxPositions);
        json.put("rms_norm_eps", rmsNormEps);
        json.put("rope_theta", ropeTheta);
        if (ropeScaling.type().equals("default")) {
            json.putNull("rope_scaling");
        } else {
            var rs = json.putObject("rope_scaling");
            rs.put("rope_type", ropeScaling.type());
            rs.put("factor", ropeScaling.factor());
            if (ropeScaling.type().equals("llama3")) {
                rs.put("low_freq_factor", ropeScaling.lowFreqFactor());
                rs.put("high_freq_factor", ropeScaling.highFreqFactor());
                rs.put("original_max_position_embeddings", ropeScaling.originalMaxPositions());
            }
        }
        json.put("hidden_act", "silu");
        json.put("tie_word_embeddings", tieWordEmbeddings);
        if (!architecture.equals("Qwen2ForCausalLM")) json.put("attention_bias", attentionBias);
        if (slidingWindow > 0) {
            json.put("sliding_window", slidingWindow);
            if (architecture.equals("Qwen2ForCausalLM")) json.put("use_sliding_window", true);
        }
        if (bosTokenId >= 0) json.put("bos_token_id", bosTokenId);
        if (eosTokenIds.size() == 1) json.put("eos_token_id", eosTokenIds.getFirst());
        else if (!eosTokenIds.isEmpty()) eosTokenIds.forEach(json.withArray("eos_token_id")::add);
        json.put("torch_dtype", torchDtype);
        return json;
    }

    static List<Integer> ids(JsonNode node) {
        List<Integer> out = new ArrayList<>();
        if (node.isNumber()) out.add(node.asInt());
        else if (node.isArray()) node.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static int requiredInt(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || !n.isNumber()) throw new IllegalArgumentException("missing or non-numeric '" + key + "'");
        return n.asInt();
    }
}
