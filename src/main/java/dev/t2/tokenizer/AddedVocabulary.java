package dev.t2.tokenizer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The added tokens and how HF finds them in text: a leftmost-longest search (like its Aho-Corasick automaton)
 * first over the raw text for non-normalized tokens, then over each normalized remainder for normalized ones.
 */
final class AddedVocabulary {

    /** Receives the pieces of a split text in order: either plain text or an added token. */
    interface Sink {
        void text(String text, int start);

        void token(int id);
    }

    private final Map<Integer, AddedToken> byId = new HashMap<>();
    private final Map<String, Integer> idByContent = new HashMap<>();
    private final Set<String> specialContents = new HashSet<>();
    private final Trie rawTrie = new Trie();
    private final Trie normalizedTrie = new Trie();

    AddedVocabulary(List<AddedToken> tokens, Normalizer normalizer) {
        // HF registers special tokens before the others; this order only matters for duplicate contents.
        List<AddedToken> ordered = new ArrayList<>();
        for (AddedToken t : tokens) if (t.special()) ordered.add(t);
        for (AddedToken t : tokens) if (!t.special()) ordered.add(t);
        Map<String, AddedToken> unique = new LinkedHashMap<>();
        for (AddedToken t : ordered) {
            if (t.content().isEmpty()) continue;
            byId.put(t.id(), t);
            idByContent.put(t.content(), t.id());
            if (t.special()) specialContents.add(t.content());
            unique.putIfAbsent(t.content(), t);
        }
        for (AddedToken t : unique.values()) {
            int id = idByContent.get(t.content());
            if (t.normalized()) {
                String pattern = normalizer == null ? t.content() : normalizer.normalize(t.content());
                if (!pattern.isEmpty()) normalizedTrie.add(pattern, id);
            } else {
                rawTrie.add(t.content(), id);
            }
        }
    }

    AddedToken byId(int id) {
        return byId.get(id);
    }

    /** Id of an added token with this exact content, or -1. */
    int idOf(String content) {
        Integer id = idByContent.get(content);
        return id == null ? -1 : id;
    }

    boolean isSpecialContent(String content) {
        return specialContents.contains(content);
    }

    Iterable<AddedToken> tokens() {
        return byId.values();
    }

    int maxId() {
        int max = -1;
        for (int id : byId.keySet()) max = Math.max(max, id);
        return max;
    }

    /** Splits raw text on the non-normalized added tokens. */
    void splitRaw(String text, Sink sink) {
        split(text, rawTrie, sink);
    }

    /** Splits already-normalized text on the normalized added tokens. */
    void splitNormalized(String text, Sink sink) {
        split(text, normalizedTrie, sink);
    }

    /** HF's {@code find_matches}: single_word filtering, lstrip/rstrip widening, the rest as plain pieces. */
    private void split(String s, Trie trie, Sink sink) {
        if (trie.isEmpty()) {
            if (!s.isEmpty()) sink.text(s, 0);
            return;
        }
        int startOffset = 0;
        int searchFrom = 0;
        int[] match = new int[2]; // {end, id}
        while (true) {
            int start = trie.findLeftmostLongest(s, searchFrom, match);
            if (start < 0) break;
            int stop = match[0];
            int id = match[1];
            searchFrom = stop; // the automaton resumes after the match itself, whatever we do with it
            AddedToken token = byId.get(id);
            if (token.singleWord()) {
                boolean spaceBefore = start == 0 || !UnicodeChars.isWordChar(s.codePointBefore(start));
                boolean spaceAfter = stop == s.length() || !UnicodeChars.isWordChar(s.codePointAt(stop));
                if (!spaceBefore || !spaceAfter) continue;
            }
            if (token.lstrip()) {
                int newStart = start;
                while (newStart > 0 && UnicodeChars.isWhiteSpace(s.codePointBefore(newStart))) {
                    newStart -= Character.charCount(s.codePointBefore(newStart));
                }
                start = Math.max(newStart, startOffset);
            }
            if (token.rstrip()) {
                while (stop < s.length() && UnicodeChars.isWhiteSpace(s.codePointAt(stop))) {
                    stop += Character.charCount(s.codePointAt(stop));
                }
            }
            if (startOffset < start) sink.text(s.substring(startOffset, start), startOffset);
            sink.token(id);
            startOffset = stop;
        }
        if (startOffset < s.length()) sink.text(s.substring(startOffset), startOffset);
    }

    /** A character trie answering "the longest added token starting here". */
    private static final class Trie {
        private final Node root = new Node();
        private final BitSet firstChars = new BitSet(1 << 16);

        void add(String pattern, int id) {
            Node node = root;
            for (int i = 0; i < pattern.length(); i++) {
                node = node.children.computeIfAbsent(pattern.charAt(i), k -> new Node());
            }
            if (node.id < 0) node.id = id;
            firstChars.set(pattern.charAt(0));
        }

        boolean isEmpty() {
            return root.children.isEmpty();
        }

        /** Start of the leftmost match at or after {@code from} (its end and id go to {@code match}), or -1. */
        int findLeftmostLongest(String s, int from, int[] match) {
            int n = s.length();
            for (int start = from; start < n; start++) {
                if (!firstChars.get(s.charAt(start))) continue;
                Node node = root;
                int bestEnd = -1;
                int bestId = -1;
                for (int i = start; i < n; i++) {
                    node = node.children.get(s.charAt(i));
                    if (node == null) break;
                    if (node.id >= 0) {
                        bestEnd = i + 1;
                        bestId = node.id;
                    }
                }
                if (bestEnd >= 0) {
                    match[0] = bestEnd;
                    match[1] = bestId;
                    return start;
                }
            }
            return -1;
        }
    }

    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        int id = -1;
    }
}
