package dev.t2.io;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code tokenizer.ggml.*} metadata of a GGUF file as llama.cpp reads it: checked, with llama.cpp's defaults
 * for what is absent. {@code scores} is null for a "gpt2" vocabulary without scores, {@code merges} ("left right")
 * null for a "llama" one; a special token id is -1 when there is none.
 */
record GgufVocabulary(Path file, Model model, GgufPreTokenizer pre, String[] tokens, float[] scores,
                      GgufTokenType[] types, String[] merges, int bosId, int eosId, int unknownId, int paddingId,
                      boolean addBos, boolean addEos, boolean addSpacePrefix) {

    /** The vocabularies {@code tokenizer.ggml.model} may name that t2 can encode. */
    enum Model {
        /** SentencePiece BPE: ▁ for spaces, scores decide the merges, {@code <0xAB>} byte tokens. */
        LLAMA("llama"),
        /** Byte-level BPE: tokens in GPT-2's byte-to-character alphabet, ranked merges. */
        GPT2("gpt2");

        final String key;

        Model(String key) {
            this.key = key;
        }
    }

    static final String PREFIX = "tokenizer.ggml.";
    static final String MODEL = PREFIX + "model";
    static final String PRE = PREFIX + "pre";
    static final String TOKENS = PREFIX + "tokens";
    static final String SCORES = PREFIX + "scores";
    static final String TOKEN_TYPE = PREFIX + "token_type";
    static final String MERGES = PREFIX + "merges";
    static final String BOS = PREFIX + "bos_token_id";
    static final String EOS = PREFIX + "eos_token_id";
    static final String UNKNOWN = PREFIX + "unknown_token_id";
    static final String PADDING = PREFIX + "padding_token_id";
    static final String ADD_BOS = PREFIX + "add_bos_token";
    static final String ADD_EOS = PREFIX + "add_eos_token";
    static final String ADD_SPACE_PREFIX = PREFIX + "add_space_prefix";

    static GgufVocabulary read(GgufFile g) {
        Path file = g.path();
        Model model = model(g);
        String[] tokens = g.getStringArray(TOKENS);
        if (tokens.length == 0) throw new CheckpointException(file, "metadata '" + TOKENS + "' is empty");
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].isEmpty()) tokens[i] = "[EMPTY_" + i + "]"; // llama.cpp's name for an empty token
        }
        float[] scores = g.has(SCORES) ? g.getFloatArray(SCORES) : null;
        if (scores != null) sameLength(file, SCORES, scores.length, tokens.length);
        if (scores == null && model == Model.LLAMA) scores = new float[tokens.length]; // llama.cpp: score 0
        GgufTokenType[] types = types(g, tokens.length);
        String[] merges = model == Model.GPT2 ? merges(g, tokens) : null;
        GgufPreTokenizer pre = model == Model.GPT2 ? preTokenizer(g) : null;

        boolean llama = model == Model.LLAMA;
        // llama.cpp's defaults: SentencePiece models number <unk>, <s>, </s> 0, 1, 2; byte-level ones have none.
        int bos = specialId(g, BOS, llama ? 1 : -1, tokens.length);
        int eos = specialId(g, EOS, llama ? 2 : -1, tokens.length);
        int unknown = specialId(g, UNKNOWN, llama ? 0 : -1, tokens.length);
        int padding = specialId(g, PADDING, -1, tokens.length);
        boolean addBos = g.has(ADD_BOS) ? g.getBoolean(ADD_BOS) : llama || pre.addsBosByDefault();
        boolean addEos = g.has(ADD_EOS) && g.getBoolean(ADD_EOS);
        boolean addSpacePrefix = llama && (!g.has(ADD_SPACE_PREFIX) || g.getBoolean(ADD_SPACE_PREFIX));
        if (addBos && bos < 0) throw new CheckpointException(file, ADD_BOS + " is true but there is no valid " + BOS);
        if (addEos && eos < 0) throw new CheckpointException(file, ADD_EOS + " is true but there is no valid " + EOS);
        return new GgufVocabulary(file, model, pre, tokens, scores, types, merges, bos, eos, unknown, padding,
                addBos, addEos, addSpacePrefix);
    }

    private static Model model(GgufFile g) {
        String name = g.getString(MODEL);
        for (Model m : Model.values()) if (m.key.equals(name)) return m;
        if (name.equals("none") || name.equals("no")) {
            throw new CheckpointException(g.path(), MODEL + " is '" + name + "': this file holds no tokenizer");
        }
        throw new CheckpointException(g.path(), "unsupported " + MODEL + " '" + name
                + "' (t2 supports 'llama' (SentencePiece BPE) and 'gpt2' (byte-level BPE))");
    }

    private static GgufTokenType[] types(GgufFile g, int count) {
        GgufTokenType[] types = new GgufTokenType[count];
        if (!g.has(TOKEN_TYPE)) {
            java.util.Arrays.fill(types, GgufTokenType.NORMAL); // llama.cpp's default
            return types;
        }
        int[] ids = g.getIntArray(TOKEN_TYPE);
        sameLength(g.path(), TOKEN_TYPE, ids.length, count);
        for (int i = 0; i < count; i++) {
            types[i] = GgufTokenType.ofId(ids[i]);
            if (types[i] == null) {
                throw new CheckpointException(g.path(), "metadata '" + TOKEN_TYPE + "'[" + i + "] = " + ids[i]
                        + " is not a token type (0 to " + (GgufTokenType.values().length - 1) + ")");
            }
        }
        return types;
    }

    /** Each merge is "left right" (split at the first space after the first character, as llama.cpp splits it). */
    private static String[] merges(GgufFile g, String[] tokens) {
        if (!g.has(MERGES)) throw new CheckpointException(g.path(), "metadata '" + MERGES + "' is missing (a 'gpt2' vocabulary needs its merges)");
        String[] merges = g.getStringArray(MERGES);
        Set<String> known = new HashSet<>(List.of(tokens));
        for (int i = 0; i < merges.length; i++) {
            String m = merges[i];
            int space = m.indexOf(' ', 1);
            String problem = space < 0 ? "has no space between its two tokens"
                    : !known.contains(m.substring(0, space)) ? "'" + m.substring(0, space) + "' is not a token"
                    : !known.contains(m.substring(space + 1)) ? "'" + m.substring(space + 1) + "' is not a token"
                    : !known.contains(m.substring(0, space) + m.substring(space + 1)) ? "its result '"
                            + m.substring(0, space) + m.substring(space + 1) + "' is not a token"
                    : null;
            if (problem != null) throw new CheckpointException(g.path(), "metadata '" + MERGES + "'[" + i + "] = '" + m + "': " + problem);
        }
        return merges;
    }

    private static GgufPreTokenizer preTokenizer(GgufFile g) {
        if (!g.has(PRE)) return GgufPreTokenizer.DEFAULT; // llama.cpp warns and uses its default
        String name = g.getString(PRE);
        GgufPreTokenizer pre = GgufPreTokenizer.named(name);
        if (pre == null) {
            throw new CheckpointException(g.path(), "unsupported " + PRE + " '" + name + "' (t2 supports "
                    + String.join(", ", GgufPreTokenizer.supportedNames()) + ")");
        }
        return pre;
    }

    /** An id outside the vocabulary is ignored in favour of the default, as llama.cpp ignores it. */
    private static int specialId(GgufFile g, String key, int fallback, int count) {
        long id = g.has(key) ? g.getLong(key) : fallback;
        if (id >= 0 && id < count) return (int) id;
        return fallback >= 0 && fallback < count ? fallback : -1;
    }

    private static void sameLength(Path file, String key, int length, int tokens) {
        if (length != tokens) {
            throw new CheckpointException(file, "metadata '" + key + "' has " + length + " entries but '" + TOKENS
                    + "' has " + tokens);
        }
    }

    /** The token string of a special id, or null when there is none. */
    String tokenOrNull(int id) {
        return id >= 0 ? tokens[id] : null;
    }
}
