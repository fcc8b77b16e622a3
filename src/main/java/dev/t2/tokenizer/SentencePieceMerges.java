package dev.t2.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * A SentencePiece BPE vocabulary (pieces with scores) as Hugging Face merges: every split of a piece into two
 * pieces, ranked by the merged piece's score, highest first. HF's lowest-rank-first merging then reproduces
 * SentencePiece's (llama.cpp's, llama2.c's) highest-score-first merging whenever scores differ. Ties are ordered as
 * transformers' {@code SentencePieceExtractor} orders them: by the merged piece's id, then the halves' ids.
 */
public final class SentencePieceMerges {

    /** One merge: {@code left + right} becomes one piece. */
    public record Merge(String left, String right) {}

    private SentencePieceMerges() {}

    /**
     * The merges of {@code pieces} (by id; a repeated piece is known by its last id, as llama.cpp and a JSON vocab
     * know it), using only ids that {@code usable} accepts as halves or results.
     */
    public static List<Merge> of(String[] pieces, float[] scores, IntPredicate usable) {
        if (scores.length != pieces.length) {
            throw new IllegalArgumentException(pieces.length + " pieces but " + scores.length + " scores");
        }
        Map<String, Integer> ids = new HashMap<>(pieces.length * 2);
        for (int id = 0; id < pieces.length; id++) ids.put(pieces[id], id);
        record Ranked(float score, int merged, int left, int right) {}
        List<Ranked> ranked = new ArrayList<>();
        for (int id = 0; id < pieces.length; id++) {
            String p = pieces[id];
            if (!usable.test(id) || p.codePointCount(0, p.length()) < 2) continue;
            for (int cut = p.offsetByCodePoints(0, 1); cut < p.length(); cut = p.offsetByCodePoints(cut, 1)) {
                Integer l = ids.get(p.substring(0, cut));
                Integer r = ids.get(p.substring(cut));
                if (l != null && r != null && usable.test(l) && usable.test(r)) ranked.add(new Ranked(scores[id], id, l, r));
            }
        }
        ranked.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score)
                : a.merged != b.merged ? Integer.compare(a.merged, b.merged)
                : a.left != b.left ? Integer.compare(a.left, b.left) : Integer.compare(a.right, b.right));
        List<Merge> merges = new ArrayList<>(ranked.size());
        for (Ranked m : ranked) merges.add(new Merge(pieces[m.left], pieces[m.right]));
        return merges;
    }
}
