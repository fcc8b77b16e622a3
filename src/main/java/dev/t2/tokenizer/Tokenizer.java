package dev.t2.tokenizer;

/**
 * Text ↔ token ids. Implementations: Hugging Face {@code tokenizer.json} (byte-level BPE and
 * SentencePiece-style BPE) and llama2.c's {@code tokenizer.bin}.
 */
public interface Tokenizer {

    /**
     * Token ids of {@code text}. Added/special tokens written literally in the text (e.g. "<|im_start|>")
     * become their ids. With {@code addSpecialTokens}, the tokenizer's post-processor adds its tokens
     * (e.g. BOS for Llama), exactly as HF's {@code encode(text, add_special_tokens=True)}.
     */
    int[] encode(String text, boolean addSpecialTokens);

    /** Text of {@code ids}, as HF's {@code decode(ids, skip_special_tokens)}. */
    String decode(int[] ids, boolean skipSpecialTokens);

    /** The raw bytes token {@code id} stands for (before decoder clean-ups), for UTF-8-safe streaming. */
    byte[] tokenBytes(int id);

    int vocabSize();

    /** Id of a token given by its vocabulary string (e.g. "</s>", "<|eot_id|>"), or -1. */
    int tokenId(String token);

    /** The vocabulary string of token {@code id}. */
    String tokenString(int id);

    /** True for special/control tokens (BOS, EOS, chat markers), which decode may skip. */
    boolean isSpecial(int id);

    /** BOS id or -1. */
    int bosId();

    /** EOS id or -1. */
    int eosId();

    /** A decoder for ids arriving one at a time that returns only complete text (see {@link StreamingDecoder}). */
    default StreamingDecoder streamingDecoder(boolean skipSpecialTokens) {
        return new StreamingDecoder(this, skipSpecialTokens);
    }
}
