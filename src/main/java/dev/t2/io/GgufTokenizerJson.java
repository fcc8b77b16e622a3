package dev.t2.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2.tokenizer.SentencePieceMerges;

/**
 * The Hugging Face {@code tokenizer.json} that encodes and decodes as llama.cpp does with a GGUF vocabulary:
 * every token in the BPE vocab by its id, control/unknown tokens as special added tokens and user-defined ones as
 * plain added tokens (all matched in the raw text, as llama.cpp matches them), BOS/EOS added by a template.
 */
final class GgufTokenizerJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String SPACE = "\u2581";

    private GgufTokenizerJson() {}

    static ObjectNode of(GgufVocabulary v) {
        ObjectNode root = JSON.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        addedTokens(v, root.putArray("added_tokens"));
        if (v.model() == GgufVocabulary.Model.LLAMA) {
            sentencePiece(v, root);
        } else {
            byteLevel(v, root);
        }
        postProcessor(v, root);
        return root;
    }

    /** SentencePiece: spaces as ▁ (with a leading ▁ on each piece of text between added tokens), byte fallback. */
    private static void sentencePiece(GgufVocabulary v, ObjectNode root) {
        ObjectNode normalizer = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode steps = normalizer.putArray("normalizers");
        // HF's Prepend runs on each piece between added tokens, as llama.cpp adds its space after each special token.
        if (v.addSpacePrefix()) steps.addObject().put("type", "Prepend").put("prepend", SPACE);
        ObjectNode replace = steps.addObject().put("type", "Replace");
        replace.putObject("pattern").put("String", " ");
        replace.put("content", SPACE);
        root.putNull("pre_tokenizer");
        ObjectNode model = bpe(v, root, false);
        model.put("byte_fallback", true);
        ArrayNode merges = model.putArray("merges");
        for (SentencePieceMerges.Merge m : SentencePieceMerges.of(v.tokens(), v.scores(), id -> true)) {
            merges.addArray().add(m.left()).add(m.right());
        }
        ArrayNode decoders = root.putObject("decoder").put("type", "Sequence").putArray("decoders");
        ObjectNode spaces = decoders.addObject().put("type", "Replace");
        spaces.putObject("pattern").put("String", SPACE);
        spaces.put("content", " ");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        if (v.addSpacePrefix()) decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
    }

    /** Byte-level BPE: the pre-tokenizer {@code tokenizer.ggml.pre} names, the stored merges in their order. */
    private static void byteLevel(GgufVocabulary v, ObjectNode root) {
        root.set("normalizer", v.pre().normalizerJson());
        root.set("pre_tokenizer", v.pre().preTokenizerJson());
        ObjectNode model = bpe(v, root, v.pre().ignoreMerges());
        model.put("byte_fallback", false);
        ArrayNode merges = model.putArray("merges");
        for (String m : v.merges()) {
            int space = m.indexOf(' ', 1);
            merges.addArray().add(m.substring(0, space)).add(m.substring(space + 1));
        }
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false)
                .put("use_regex", false);
    }

    /** The BPE model with every token; a repeated token string keeps its last id, as llama.cpp's lookup does. */
    private static ObjectNode bpe(GgufVocabulary v, ObjectNode root, boolean ignoreMerges) {
        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        String unk = v.model() == GgufVocabulary.Model.LLAMA ? v.tokenOrNull(v.unknownId()) : null;
        if (unk != null) model.put("unk_token", unk);
        else model.putNull("unk_token");
        model.putNull("continuing_subword_prefix").putNull("end_of_word_suffix");
        model.put("fuse_unk", unk != null).put("ignore_merges", ignoreMerges);
        ObjectNode vocab = model.putObject("vocab");
        String[] tokens = v.tokens();
        for (int id = 0; id < tokens.length; id++) vocab.put(tokens[id], id);
        return model;
    }

    private static void addedTokens(GgufVocabulary v, ArrayNode added) {
        String[] tokens = v.tokens();
        for (int id = 0; id < tokens.length; id++) {
            GgufTokenType type = v.types()[id];
            if (!type.isAdded()) continue;
            added.addObject().put("id", id).put("content", tokens[id]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", type != GgufTokenType.USER_DEFINED);
        }
    }

    /** BOS before and EOS after the text when the vocabulary adds them (llama.cpp's add_bos / add_eos). */
    private static void postProcessor(GgufVocabulary v, ObjectNode root) {
        if (!v.addBos() && !v.addEos()) {
            root.putNull("post_processor");
            return;
        }
        ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
        ObjectNode specials = JSON.objectNode();
        wrap(v, post.putArray("single"), specials, "A", 0);
        ArrayNode pair = post.putArray("pair");
        wrap(v, pair, specials, "A", 0);
        wrap(v, pair, specials, "B", 1);
        post.set("special_tokens", specials);
    }

    /** Appends [BOS] sequence [EOS] to a template, defining the special tokens it uses. */
    private static void wrap(GgufVocabulary v, ArrayNode template, ObjectNode specials, String sequence, int typeId) {
        if (v.addBos()) special(template, specials, v.tokens()[v.bosId()], v.bosId(), typeId);
        template.addObject().putObject("Sequence").put("id", sequence).put("type_id", typeId);
        if (v.addEos()) special(template, specials, v.tokens()[v.eosId()], v.eosId(), typeId);
    }

    private static void special(ArrayNode template, ObjectNode specials, String token, int id, int typeId) {
        template.addObject().putObject("SpecialToken").put("id", token).put("type_id", typeId);
        ObjectNode entry = specials.putObject(token).put("id", token);
        entry.putArray("ids").add(id);
        entry.putArray("tokens").add(token);
    }
}
