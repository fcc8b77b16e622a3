package dev.t2.io;

import dev.t2.tokenizer.Tokenizer;
import java.util.Map;

/** The tokenizer stored in a GGUF file's {@code tokenizer.ggml.*} metadata. */
final class GgufTokenizer {
    private GgufTokenizer() {}

    static Tokenizer build(GgufFile g) {
        throw new CheckpointException(g.path(), "GGUF tokenizers are not supported yet");
    }

    static Map<String, String> specialTokens(GgufFile g, Tokenizer tokenizer) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (tokenizer.bosId() >= 0) out.put("bos_token", tokenizer.tokenString(tokenizer.bosId()));
        if (tokenizer.eosId() >= 0) out.put("eos_token", tokenizer.tokenString(tokenizer.eosId()));
        return out;
    }
}
