package dev.t2.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face {@code tokenizer.json} with a BPE model, byte-level (GPT-2, Llama-3, Qwen2) or SentencePiece-style
 * with byte fallback (Llama-2, Mistral), giving the same ids and text as HF tokenizers.
 *
 * <p>Encoding follows HF's pipeline: added tokens are cut out of the raw text, the rest is normalized (then the
 * added tokens marked "normalized" are cut out of that), pre-tokenized into words, each word BPE-encoded, and with
 * {@code addSpecialTokens} the post-processor adds its tokens.
 */
public final class HfTokenizer implements Tokenizer {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path source;
    private final BpeModel model;
    private final AddedVocabulary added;
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final PostProcessor postProcessor;
    private final Decoder decoder;
    private final TokenizerConfig config;
    private final int vocabSize;
    private final int bosId;
    private final int eosId;

    private HfTokenizer(Path source, JsonNode root, TokenizerConfig config) {
        this.source = source;
        this.config = config;
        this.model = modelFromJson(root.get("model"));
        this.normalizer = Normalizer.fromJson(root.get("normalizer"));
        this.preTokenizer = PreTokenizer.fromJson(root.get("pre_tokenizer"));
        this.postProcessor = PostProcessor.fromJson(root.get("post_processor"));
        this.decoder = Decoder.fromJson(root.get("decoder"));
        this.added = new AddedVocabulary(addedTokensFromJson(root.get("added_tokens"), model), normalizer);
        this.vocabSize = Math.max(model.maxId(), added.maxId()) + 1;
        this.bosId = config.bosToken() != null ? tokenId(config.bosToken())
                : postProcessor != null ? postProcessor.leadingToken() : -1;
        this.eosId = config.eosToken() != null ? tokenId(config.eosToken()) : guessEos();
    }

    /** Loads {@code tokenizer.json} (or the one inside a folder) and the {@code tokenizer_config.json} next to it. */
    public static HfTokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) throw new TokenizerException(file + ": tokenizer file not found");
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new TokenizerException(file + ": malformed JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new TokenizerException(file + ": not a JSON object (empty file?)");
        return fromJson(root, TokenizerConfig.besides(file, MAPPER), file);
    }

    /**
     * A tokenizer from an already parsed {@code tokenizer.json} tree, e.g. one synthesised from a GGUF file's
     * metadata; {@code source} is where it came from, named in errors and by {@link #source()}.
     */
    public static HfTokenizer fromJson(JsonNode root, TokenizerConfig config, Path source) {
        if (root == null || !root.isObject()) throw new TokenizerException(source + ": tokenizer JSON is not an object");
        try {
            return new HfTokenizer(source, root, config == null ? TokenizerConfig.EMPTY : config);
        } catch (TokenizerException e) {
            throw new TokenizerException(source + ": " + e.getMessage(), e);
        }
    }

    private static BpeModel modelFromJson(JsonNode model) {
        if (HfJson.isAbsent(model) || !model.isObject()) throw new TokenizerException("no \"model\" object");
        // Old files omit the type; HF then recognises BPE by its merges.
        String type = model.has("type") ? HfJson.type(model, "model") : model.has("merges") ? "BPE" : "unknown";
        if (!type.equals("BPE")) {
            throw new TokenizerException("unsupported model type '" + type + "' (only BPE is implemented)");
        }
        return BpeModel.fromJson(model);
    }

    /**
     * The added tokens with the ids HF gives them, which are not always those written in the file: a content the
     * model already knows takes the model's id, a repeated content its first id, a new one the next free id.
     */
    private static List<AddedToken> addedTokensFromJson(JsonNode node, BpeModel model) {
        List<AddedToken> tokens = new ArrayList<>();
        if (HfJson.isAbsent(node)) return tokens;
        if (!node.isArray()) throw new TokenizerException("\"added_tokens\" must be an array");
        Map<String, Integer> idByContent = new HashMap<>();
        Set<List<Object>> seen = new HashSet<>();
        int maxId = -1;
        for (JsonNode t : node) {
            String content = HfJson.text(t, "content", "added token");
            boolean singleWord = HfJson.bool(t, "single_word", false);
            boolean lstrip = HfJson.bool(t, "lstrip", false);
            boolean rstrip = HfJson.bool(t, "rstrip", false);
            boolean normalized = HfJson.bool(t, "normalized", true);
            boolean special = HfJson.bool(t, "special", false);
            if (content.isEmpty() || !seen.add(List.of(content, singleWord, lstrip, rstrip, normalized, special))) continue;
            Integer id = idByContent.get(content);
            if (id == null) {
                int known = model.idOf(content);
                int size = model.size();
                id = known >= 0 ? known : maxId < 0 ? size : maxId >= size || size == 0 ? maxId + 1 : size;
            }
            idByContent.put(content, id);
            maxId = Math.max(maxId, id);
            tokens.add(new AddedToken(id, content, singleWord, lstrip, rstrip, normalized, special));
        }
        return tokens;
    }

    private int guessEos() {
        for (String name : new String[] {"</s>", "<|endoftext|>", "<|end_of_text|>"}) {
            int id = added.idOf(name);
            if (id >= 0) return id;
        }
        return -1;
    }

    /** The file this tokenizer was loaded from. */
    public Path source() {
        return source;
    }

    /** The added tokens (special or not) with the ids HF gives them. */
    public List<AddedToken> addedTokens() {
        List<AddedToken> tokens = new ArrayList<>();
        added.tokens().forEach(tokens::add);
        tokens.sort(java.util.Comparator.comparingInt(AddedToken::id));
        return tokens;
    }

    /** The settings of {@code tokenizer_config.json} next to the file (all null when there is none). */
    public TokenizerConfig config() {
        return config;
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        text = withoutLoneSurrogates(text);
        IntList ids = new IntList(text.length() / 3 + 4);
        added.splitRaw(text, new AddedVocabulary.Sink() {
            public void text(String piece, int start) {
                encodeNormalizing(piece, start == 0, ids);
            }

            public void token(int id) {
                ids.add(id);
            }
        });
        int[] out = ids.toArray();
        return addSpecialTokens && postProcessor != null ? postProcessor.addSpecialTokens(out) : out;
    }

    /** A lone UTF-16 surrogate has no UTF-8 form (HF only ever sees valid text): it becomes U+FFFD. */
    static String withoutLoneSurrogates(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            StringBuilder out = new StringBuilder(text.length());
            text.codePoints().forEach(cp -> out.appendCodePoint(cp < 0x10000 && Character.isSurrogate((char) cp)
                    ? Utf8.REPLACEMENT : cp));
            return out.toString();
        }
        return text;
    }

    /** Normalizes one piece between raw added tokens, then cuts out the normalized added tokens. */
    private void encodeNormalizing(String piece, boolean atStart, IntList ids) {
        String normalized = normalizer == null ? piece : normalizer.normalize(piece);
        added.splitNormalized(normalized, new AddedVocabulary.Sink() {
            public void text(String text, int start) {
                encodeWords(text, atStart && start == 0, ids);
            }

            public void token(int id) {
                ids.add(id);
            }
        });
    }

    private void encodeWords(String text, boolean atStart, IntList ids) {
        if (preTokenizer == null) {
            model.tokenize(text, ids);
        } else {
            preTokenizer.split(text, atStart, (word, wordAtStart) -> model.tokenize(word, ids));
        }
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            String token = tokenOrNull(id);
            if (token == null) continue; // HF skips ids it does not know
            if (skipSpecialTokens && added.isSpecialContent(token)) continue;
            tokens.add(token);
        }
        return decoder == null ? String.join(" ", tokens) : decoder.decode(tokens);
    }

    @Override
    public byte[] tokenBytes(int id) {
        String token = tokenString(id);
        if (decoder == null) return token.getBytes(StandardCharsets.UTF_8);
        byte[] raw = decoder.rawBytes(token);
        return raw != null ? raw : decoder.rawText(token).getBytes(StandardCharsets.UTF_8);
    }

    /** A decoder for ids arriving one at a time; byte-fallback ids wait for the ids they may join with. */
    @Override
    public StreamingDecoder streamingDecoder(boolean skipSpecialTokens) {
        boolean joins = decoder != null && decoder.joinsByteTokens();
        return new StreamingDecoder(this, skipSpecialTokens,
                id -> tokenOrNull(id) == null || (skipSpecialTokens && added.isSpecialContent(tokenOrNull(id))),
                id -> joins && Decoder.ByteFallback.byteValue(tokenOrNull(id)) >= 0);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int tokenId(String token) {
        int id = added.idOf(token);
        return id >= 0 ? id : model.idOf(token);
    }

    @Override
    public String tokenString(int id) {
        String token = tokenOrNull(id);
        if (token == null) throw new IllegalArgumentException("token id " + id + " is not in " + source);
        return token;
    }

    private String tokenOrNull(int id) {
        AddedToken a = added.byId(id);
        return a != null ? a.content() : model.tokenOf(id);
    }

    @Override
    public boolean isSpecial(int id) {
        AddedToken a = added.byId(id);
        return a != null && a.special();
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + source + ", " + vocabSize + " tokens]";
    }
}
