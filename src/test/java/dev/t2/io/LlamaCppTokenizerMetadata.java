package dev.t2.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.tokenizer.Llama2cTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code tokenizer.ggml.*} metadata llama.cpp's {@code convert_hf_to_gguf.py} writes, produced here independently
 * of the reader: tokens by id (added tokens included, gaps as unused {@code [PADn]}), token types, merges or
 * SentencePiece scores, special token ids and the add-BOS/EOS flags of tokenizer_config.json when it has them.
 */
final class LlamaCppTokenizerMetadata {
    static final int NORMAL = 1, UNKNOWN = 2, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5, BYTE = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LlamaCppTokenizerMetadata() {}

    /** A tokenizer.json read as the converter reads it: the strings, types and ids by position. */
    private record Vocabulary(String[] tokens, int[] types, Map<String, Integer> ids, JsonNode root, JsonNode config) {}

    /** A byte-level tokenizer.json: model "gpt2", its merges as "left right", {@code pre} as given, padded to {@code size}. */
    static GgufWriter byteLevel(Path tokenizerJson, String pre, int size) throws IOException {
        Vocabulary v = read(tokenizerJson, size);
        JsonNode mergesNode = v.root().path("model").path("merges");
        String[] merges = new String[mergesNode.size()];
        for (int i = 0; i < merges.length; i++) {
            JsonNode m = mergesNode.get(i);
            merges[i] = m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText();
        }
        GgufWriter w = new GgufWriter();
        w.putString("tokenizer.ggml.model", "gpt2");
        w.putString("tokenizer.ggml.pre", pre);
        w.putStringArray("tokenizer.ggml.tokens", v.tokens());
        w.putIntArray("tokenizer.ggml.token_type", v.types());
        w.putStringArray("tokenizer.ggml.merges", merges);
        putSpecials(w, v);
        return w;
    }

    /**
     * A SentencePiece-style tokenizer.json: model "llama" with scores. The tokenizer.model scores the converter would
     * copy are not in tokenizer.json; HF ranked its merges by them, so a piece scores minus the rank of its first merge.
     */
    static GgufWriter sentencePiece(Path tokenizerJson) throws IOException {
        Vocabulary v = read(tokenizerJson, 0);
        String[] tokens = v.tokens();
        float[] scores = new float[tokens.length];
        JsonNode merges = v.root().path("model").path("merges");
        for (int id = 0; id < tokens.length; id++) scores[id] = v.types()[id] == NORMAL ? -(merges.size() + id) : 0;
        for (int rank = merges.size() - 1; rank >= 0; rank--) { // the earliest merge wins
            JsonNode m = merges.get(rank);
            String merged = m.isArray() ? m.get(0).asText() + m.get(1).asText() : m.asText().replace(" ", "");
            scores[v.ids().get(merged)] = -rank;
        }
        GgufWriter w = new GgufWriter();
        w.putString("tokenizer.ggml.model", "llama");
        w.putStringArray("tokenizer.ggml.tokens", tokens);
        w.putFloatArray("tokenizer.ggml.scores", scores);
        w.putIntArray("tokenizer.ggml.token_type", v.types());
        putSpecials(w, v);
        return w;
    }

    /** llama2.c's vocabulary as its GGUF: ▁ for spaces, its scores, {@code <unk> <s> </s>}, byte tokens as bytes. */
    static GgufWriter llama2c(Llama2cTokenizer t) {
        String[] tokens = new String[t.vocabSize()];
        float[] scores = new float[tokens.length];
        int[] types = new int[tokens.length];
        for (int id = 0; id < tokens.length; id++) {
            String piece = t.tokenString(id);
            tokens[id] = id < 3 ? new String[] {"<unk>", "<s>", "</s>"}[id] : piece.replace(' ', '\u2581');
            scores[id] = t.score(id);
            types[id] = id == 0 ? UNKNOWN : id < 3 ? CONTROL : piece.matches("<0x[0-9A-F]{2}>") ? BYTE : NORMAL;
        }
        return new GgufWriter().putString("tokenizer.ggml.model", "llama").putStringArray("tokenizer.ggml.tokens", tokens)
                .putFloatArray("tokenizer.ggml.scores", scores).putIntArray("tokenizer.ggml.token_type", types)
                .putUInt32("tokenizer.ggml.bos_token_id", 1).putUInt32("tokenizer.ggml.eos_token_id", 2)
                .putUInt32("tokenizer.ggml.unknown_token_id", 0);
    }

    private static Vocabulary read(Path tokenizerJson, int size) throws IOException {
        JsonNode root = JSON.readTree(tokenizerJson.toFile());
        Path configFile = tokenizerJson.resolveSibling("tokenizer_config.json");
        JsonNode config = Files.isRegularFile(configFile) ? JSON.readTree(configFile.toFile()) : JSON.createObjectNode();
        Map<Integer, String> byId = new HashMap<>();
        Map<Integer, Integer> typeById = new HashMap<>();
        root.path("model").path("vocab").properties().forEach(e -> byId.put(e.getValue().asInt(), e.getKey()));
        String unk = root.path("model").path("unk_token").asText(null);
        for (JsonNode t : root.path("added_tokens")) {
            String content = t.get("content").asText();
            byId.put(t.get("id").asInt(), content);
            typeById.put(t.get("id").asInt(), content.equals(unk) ? UNKNOWN
                    : t.get("special").asBoolean() || looksSpecial(content) ? CONTROL : USER_DEFINED);
        }
        int count = Math.max(size, byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1);
        String[] tokens = new String[count];
        int[] types = new int[count];
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < count; id++) {
            String token = byId.get(id);
            tokens[id] = token != null ? token : "[PAD" + id + "]";
            types[id] = token == null ? UNUSED : typeById.getOrDefault(id, token.matches("<0x[0-9A-F]{2}>") ? BYTE : NORMAL);
            ids.put(tokens[id], id);
        }
        return new Vocabulary(tokens, types, ids, root, config);
    }

    /** The converter's {@code does_token_look_special}: added tokens HF does not mark special but llama.cpp should. */
    private static boolean looksSpecial(String token) {
        return token.equals("<pad>") || token.equals("<mask>") || (token.startsWith("<|") && token.endsWith("|>"))
                || (token.startsWith("<\uff5c") && token.endsWith("\uff5c>")) || (token.startsWith("<unused") && token.endsWith(">"));
    }

    private static void putSpecials(GgufWriter w, Vocabulary v) {
        String[][] keys = {{"bos_token", "bos_token_id"}, {"eos_token", "eos_token_id"}, {"unk_token", "unknown_token_id"},
                {"pad_token", "padding_token_id"}};
        for (String[] k : keys) {
            JsonNode value = v.config().path(k[0]);
            String token = value.isObject() ? value.path("content").asText(null) : value.isTextual() ? value.asText() : null;
            if (token != null && v.ids().containsKey(token)) w.putUInt32("tokenizer.ggml." + k[1], v.ids().get(token));
        }
        for (String flag : new String[] {"add_bos_token", "add_eos_token"}) {
            if (v.config().path(flag).isBoolean()) w.putBool("tokenizer.ggml." + flag, v.config().get(flag).asBoolean());
        }
        if (v.config().path("chat_template").isTextual()) w.putString("tokenizer.chat_template", v.config().get("chat_template").asText());
    }
}
