package dev.t2.tokenizer;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Decodes ids arriving one at a time (generation), returning only text that is final: never half a UTF-8
 * character, and everything returned, concatenated with {@link #finish()}, equals {@code decode(allIds)}.
 *
 * <p>Each step decodes a short window of ids and returns what it adds beyond the text of the window's already
 * emitted part. The window starts at an earlier commit point whose text is non-empty, so position-dependent
 * decoder rules (SentencePiece's strip of the first space, Metaspace's first token) act inside the part already
 * emitted and cancel out. Text is held back while it ends in U+FFFD (an incomplete character) or while the last id
 * that decode keeps is a byte token that may still join the next ones.
 */
public final class StreamingDecoder {

    private final Tokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private final IntPredicate invisible;
    private final IntPredicate mayJoinNext;
    /** The last id that decodes to something may still join the next ones: text is not final. */
    private boolean open;
    private int[] ids = new int[64];
    private int size;
    /** First id of the decode window. */
    private int anchor;
    /** Ids whose text has been returned. */
    private int committed;
    /** Text of ids[anchor, committed) decoded on their own. */
    private String anchorText = "";

    /** For any tokenizer: holds back single non-ASCII byte tokens, which cannot be a whole character. */
    public StreamingDecoder(Tokenizer tokenizer, boolean skipSpecialTokens) {
        this(tokenizer, skipSpecialTokens, id -> skipSpecialTokens && tokenizer.isSpecial(id), id -> {
            byte[] b = tokenizer.tokenBytes(id);
            return b.length == 1 && b[0] < 0;
        });
    }

    /**
     * @param invisible ids that decode leaves out (skipped specials, unknown ids): byte tokens around them join
     * @param mayJoinNext ids whose text may still change with the ids that follow (byte-fallback bytes)
     */
    StreamingDecoder(Tokenizer tokenizer, boolean skipSpecialTokens, IntPredicate invisible, IntPredicate mayJoinNext) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
        this.invisible = invisible;
        this.mayJoinNext = mayJoinNext;
    }

    /** Adds one id; returns the text it completes (often empty). */
    public String next(int id) {
        if (size == ids.length) ids = Arrays.copyOf(ids, size * 2);
        ids[size++] = id;
        if (!invisible.test(id)) open = mayJoinNext.test(id);
        if (open) return "";
        String window = decode(anchor, size);
        if (window.endsWith(String.valueOf(Utf8.REPLACEMENT))) return "";
        return commit(window);
    }

    /** Returns the rest of the text, complete or not (e.g. a final byte token alone decodes to U+FFFD). */
    public String finish() {
        return committed == size ? "" : commit(decode(anchor, size));
    }

    /** All ids given so far. */
    public int[] ids() {
        return Arrays.copyOf(ids, size);
    }

    private String commit(String window) {
        String fresh;
        if (window.startsWith(anchorText)) {
            fresh = window.substring(anchorText.length());
        } else {
            // Cannot happen with HF decoders (see class comment); fall back to decoding from the very start.
            String all = decode(0, size);
            String before = decode(0, committed);
            fresh = all.startsWith(before) ? all.substring(before.length()) : "";
            anchor = 0;
            window = all;
        }
        int previous = committed;
        committed = size;
        // Move the window up to the previous commit point when that part decodes to something on its own.
        String recent = previous > anchor ? decode(previous, committed) : "";
        if (!recent.isEmpty()) {
            anchor = previous;
            anchorText = recent;
        } else {
            anchorText = window;
        }
        return fresh;
    }

    private String decode(int from, int to) {
        return tokenizer.decode(Arrays.copyOfRange(ids, from, to), skipSpecialTokens);
    }
}
