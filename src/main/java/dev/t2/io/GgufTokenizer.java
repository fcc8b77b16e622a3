package dev.t2.io;

import dev.t2.tokenizer.HfTokenizer;
import dev.t2.tokenizer.TokenizerConfig;
import dev.t2.tokenizer.TokenizerException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tokenizer stored in a GGUF file's {@code tokenizer.ggml.*} metadata, as llama.cpp writes and reads it: a
 * "llama" (SentencePiece BPE) or "gpt2" (byte-level BPE) vocabulary, turned into the equivalent Hugging Face
 * tokenizer.json and run by {@link HfTokenizer}.
 */
final class GgufTokenizer {
    private GgufTokenizer() {}

    static HfTokenizer build(GgufFile g) {
        GgufVocabulary v = GgufVocabulary.read(g);
        TokenizerConfig config = new TokenizerConfig(v.tokenOrNull(v.bosId()), v.tokenOrNull(v.eosId()),
                v.tokenOrNull(v.paddingId()), v.tokenOrNull(v.unknownId()), v.addBos(), v.addEos(),
                g.has("tokenizer.chat_template") ? g.getString("tokenizer.chat_template") : null);
        try {
            return HfTokenizer.fromJson(GgufTokenizerJson.of(v), config, g.path());
        } catch (TokenizerException e) {
            // The message already names the file; say which metadata the tokenizer came from.
            throw new CheckpointException(e.getMessage() + " (in the tokenizer built from tokenizer.ggml.* metadata)", e);
        }
    }

    /** The tokenizer.json and tokenizer_config.json a Hugging Face directory needs for this GGUF's tokenizer. */
    static Map<String, String> huggingFaceFiles(GgufFile g) {
        GgufVocabulary v = GgufVocabulary.read(g);
        var config = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (v.tokenOrNull(v.bosId()) != null) config.put("bos_token", v.tokenOrNull(v.bosId()));
        if (v.tokenOrNull(v.eosId()) != null) config.put("eos_token", v.tokenOrNull(v.eosId()));
        if (v.tokenOrNull(v.unknownId()) != null) config.put("unk_token", v.tokenOrNull(v.unknownId()));
        if (v.tokenOrNull(v.paddingId()) != null) config.put("pad_token", v.tokenOrNull(v.paddingId()));
        config.put("add_bos_token", v.addBos());
        config.put("add_eos_token", v.addEos());
        if (g.has("tokenizer.chat_template")) config.put("chat_template", g.getString("tokenizer.chat_template"));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("tokenizer.json", GgufTokenizerJson.of(v).toPrettyString());
        files.put("tokenizer_config.json", config.toPrettyString());
        return files;
    }

    /** bos/eos/unk/pad token strings for chat templates: those the GGUF names by id, or llama.cpp's defaults. */
    static Map<String, String> specialTokens(HfTokenizer tokenizer) {
        TokenizerConfig c = tokenizer.config();
        Map<String, String> out = new LinkedHashMap<>();
        putIfPresent(out, "bos_token", c.bosToken());
        putIfPresent(out, "eos_token", c.eosToken());
        putIfPresent(out, "unk_token", c.unkToken());
        putIfPresent(out, "pad_token", c.padToken());
        return out;
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null) map.put(key, value);
    }
}
