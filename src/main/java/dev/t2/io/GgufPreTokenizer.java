package dev.t2.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The word splitting that {@code tokenizer.ggml.pre} names for a byte-level ("gpt2") vocabulary, as the Hugging Face
 * normalizer and pre_tokenizer of the tokenizer.json llama.cpp's converter read it from. The regexes are those of
 * the original tokenizer.json files (and of llama.cpp's {@code llm_tokenizer_bpe}).
 */
enum GgufPreTokenizer {
    /** Llama 3: digits in threes; a word already in the vocabulary is taken whole (HF's ignore_merges). */
    LLAMA3(List.of("llama-bpe", "llama3", "llama-v3"),
            List.of("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
            true, true, false),
    /** Qwen2: single digits, text NFC-normalized first. */
    QWEN2(List.of("qwen2", "deepseek-r1-qwen"),
            List.of("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
            false, false, true),
    /** GPT-2: HF's ByteLevel pre-tokenizer with its own regex. */
    GPT2(List.of("gpt-2"), List.of(), false, false, false),
    /**
     * llama.cpp's fallback (also for files without {@code tokenizer.ggml.pre}): punctuation runs, then GPT-2's
     * regex, then digit runs cut into threes, each applied to the pieces of the one before.
     */
    DEFAULT(List.of("default"),
            List.of("[\\p{P}\\$\\+<=>\\^~\\|]+",
                    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)",
                    "\\p{N}+",
                    "[0-9][0-9][0-9]"),
            false, false, false);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final List<String> names;
    private final List<String> regexes;
    private final boolean ignoreMerges;
    private final boolean addsBosByDefault;
    private final boolean nfc;

    GgufPreTokenizer(List<String> names, List<String> regexes, boolean ignoreMerges, boolean addsBosByDefault, boolean nfc) {
        this.names = names;
        this.regexes = regexes;
        this.ignoreMerges = ignoreMerges;
        this.addsBosByDefault = addsBosByDefault;
        this.nfc = nfc;
    }

    /** The pre-tokenizer a {@code tokenizer.ggml.pre} value names, or null when t2 does not know it. */
    static GgufPreTokenizer named(String name) {
        for (GgufPreTokenizer p : values()) if (p.names.contains(name)) return p;
        return null;
    }

    /** Every value of {@code tokenizer.ggml.pre} that {@link #named} accepts, for error messages. */
    static List<String> supportedNames() {
        List<String> all = new ArrayList<>();
        for (GgufPreTokenizer p : values()) all.addAll(p.names);
        return all;
    }

    /** The splitting regexes, applied in order ("Isolated": matches and the text between them both become words). */
    List<String> regexes() {
        return regexes;
    }

    /** llama.cpp (like HF's ignore_merges) takes a word that is itself a token without merging. */
    boolean ignoreMerges() {
        return ignoreMerges;
    }

    /** llama.cpp's add_bos when {@code tokenizer.ggml.add_bos_token} is absent. */
    boolean addsBosByDefault() {
        return addsBosByDefault;
    }

    /** The HF normalizer, or a JSON null for none. */
    JsonNode normalizerJson() {
        return nfc ? JSON.objectNode().put("type", "NFC") : JSON.nullNode();
    }

    /** The HF pre_tokenizer: the regex splits followed by the byte-to-character mapping. */
    ObjectNode preTokenizerJson() {
        if (regexes.isEmpty()) return byteLevel(true);
        ObjectNode sequence = JSON.objectNode().put("type", "Sequence");
        ArrayNode steps = sequence.putArray("pretokenizers");
        for (String regex : regexes) {
            ObjectNode split = steps.addObject().put("type", "Split");
            split.putObject("pattern").put("Regex", regex);
            split.put("behavior", "Isolated").put("invert", false);
        }
        steps.add(byteLevel(false));
        return sequence;
    }

    private static ObjectNode byteLevel(boolean useRegex) {
        return JSON.objectNode().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", useRegex)
                .put("use_regex", useRegex);
    }
}
