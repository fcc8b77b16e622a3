package dev.t2.io;

/** The kinds of token in {@code tokenizer.ggml.token_type}, with llama.cpp's numbering. */
enum GgufTokenType {
    /** 0: written by old converters for "no type"; llama.cpp treats it like a normal token. */
    UNDEFINED,
    NORMAL,
    UNKNOWN,
    /** BOS, EOS, chat markers: recognised in text, skipped when decoding without special tokens. */
    CONTROL,
    /** Added by the model's authors: recognised in text, decoded as written. */
    USER_DEFINED,
    UNUSED,
    /** SentencePiece's byte-fallback tokens {@code <0xAB>}. */
    BYTE;

    /** The type numbered {@code id}, or null for a number llama.cpp does not define. */
    static GgufTokenType ofId(int id) {
        GgufTokenType[] all = values();
        return id >= 0 && id < all.length ? all[id] : null;
    }

    int id() {
        return ordinal();
    }

    /** Added tokens in Hugging Face terms: cut out of the text before BPE. */
    boolean isAdded() {
        return this == CONTROL || this == USER_DEFINED || this == UNKNOWN;
    }
}
