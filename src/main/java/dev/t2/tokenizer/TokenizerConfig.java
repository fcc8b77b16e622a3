package dev.t2.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What we use of {@code tokenizer_config.json} (transformers' settings next to {@code tokenizer.json}): the names of
 * the BOS/EOS/PAD/UNK tokens, the add-BOS/EOS flags and the chat template. Token fields may be plain strings or
 * {@code {"content": ...}} objects (older files). Absent values are null.
 */
public record TokenizerConfig(String bosToken, String eosToken, String padToken, String unkToken,
                              Boolean addBosToken, Boolean addEosToken, String chatTemplate) {

    static final TokenizerConfig EMPTY = new TokenizerConfig(null, null, null, null, null, null, null);

    /** Reads {@code file}; a malformed file is an error naming it. */
    static TokenizerConfig read(Path file, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read tokenizer config: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new TokenizerException(file + ": not a JSON object");
        return new TokenizerConfig(token(root, "bos_token"), token(root, "eos_token"), token(root, "pad_token"),
                token(root, "unk_token"), flag(root, "add_bos_token"), flag(root, "add_eos_token"), chatTemplate(root));
    }

    /** The config next to a tokenizer.json, or {@link #EMPTY} when there is none. */
    static TokenizerConfig besides(Path tokenizerJson, ObjectMapper mapper) {
        Path dir = tokenizerJson.toAbsolutePath().getParent();
        Path file = dir == null ? null : dir.resolve("tokenizer_config.json");
        return file != null && Files.isRegularFile(file) ? read(file, mapper) : EMPTY;
    }

    private static String token(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (HfJson.isAbsent(v)) return null;
        if (v.isObject()) return HfJson.optionalText(v, "content");
        return v.isTextual() ? v.asText() : null;
    }

    private static Boolean flag(JsonNode root, String field) {
        JsonNode v = root.get(field);
        return HfJson.isAbsent(v) ? null : v.asBoolean();
    }

    /** A string template, or the one named "default" of a list of named templates. */
    private static String chatTemplate(JsonNode root) {
        JsonNode v = root.get("chat_template");
        if (HfJson.isAbsent(v)) return null;
        if (v.isTextual()) return v.asText();
        if (v.isArray()) {
            for (JsonNode t : v) if ("default".equals(HfJson.optionalText(t, "name"))) return HfJson.optionalText(t, "template");
        }
        return null;
    }
}
