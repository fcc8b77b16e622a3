package dev.t2.tokenizer;

/**
 * A token of {@code tokenizer.json}'s {@code added_tokens}: matched in the raw (or normalized) text before the
 * model runs, with HF's flags for how it may match.
 *
 * @param singleWord only match when not inside a word
 * @param lstrip also swallow whitespace on its left
 * @param rstrip also swallow whitespace on its right
 * @param normalized match against the normalized text (the content is normalized too) instead of the raw text
 * @param special a control token, skipped by {@code decode(..., skipSpecialTokens=true)}
 */
public record AddedToken(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip,
                         boolean normalized, boolean special) {}
