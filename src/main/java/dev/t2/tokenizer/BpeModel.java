package dev.t2.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BPE {@code model} of {@code tokenizer.json}, encoding one pre-tokenized word at a time exactly as HF's
 * {@code BPE::merge_word}: characters (or byte-fallback / unk tokens), then repeatedly the lowest-ranked merge
 * (leftmost on ties), found with a priority queue over a linked list of symbols: O(n log n) per word.
 */
final class BpeModel {

    /** Words at least this long are not cached (HF: 256 bytes); they are rare and would crowd the cache. */
    private static final int CACHE_MAX_WORD = 256;
    private static final int CACHE_CAPACITY = 100_000;

    private final Map<String, Integer> vocab;
    private final String[] tokens;
    private final MergeTable merges;
    private final int[] mergedIdByRank;
    private final int unkId;
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final String subwordPrefix;
    private final String wordSuffix;
    private final int[] byteTokenIds = new int[256];
    private final int[] bmpCharIds = new int[1 << 16];
    private final Map<Integer, Integer> otherCharIds = new HashMap<>();
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    private BpeModel(Map<String, Integer> vocab, String[] tokens, MergeTable merges, int[] mergedIdByRank, int unkId,
                     boolean fuseUnk, boolean byteFallback, boolean ignoreMerges, String subwordPrefix, String wordSuffix) {
        this.vocab = vocab;
        this.tokens = tokens;
        this.merges = merges;
        this.mergedIdByRank = mergedIdByRank;
        this.unkId = unkId;
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        this.subwordPrefix = subwordPrefix;
        this.wordSuffix = wordSuffix;
        Arrays.fill(byteTokenIds, -1);
        Arrays.fill(bmpCharIds, -1);
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.format("<0x%02X>", b)); // HF's byte-fallback names
            if (id != null) byteTokenIds[b] = id;
        }
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String t = e.getKey();
            if (t.isEmpty() || t.codePointCount(0, t.length()) != 1) continue;
            int cp = t.codePointAt(0);
            if (cp < bmpCharIds.length) bmpCharIds[cp] = e.getValue();
            else otherCharIds.put(cp, e.getValue());
        }
    }

    static BpeModel fromJson(JsonNode model) {
        String where = "model BPE";
        JsonNode dropout = model.get("dropout");
        if (!HfJson.isAbsent(dropout) && dropout.asDouble() > 0) {
            throw new TokenizerException("BPE dropout " + dropout.asDouble() + " is not supported (encoding would be random)");
        }
        JsonNode vocabNode = model.get("vocab");
        if (HfJson.isAbsent(vocabNode) || !vocabNode.isObject()) throw new TokenizerException(where + " needs an object \"vocab\"");
        Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
        int maxId = -1;
        for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw new TokenizerException(where + " vocab entry '" + e.getKey() + "' has no valid id: " + e.getValue());
            }
            int id = e.getValue().asInt();
            vocab.put(e.getKey(), id);
            maxId = Math.max(maxId, id);
        }
        String[] tokens = new String[maxId + 1];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) tokens[e.getValue()] = e.getKey();

        String prefix = emptyToNull(HfJson.optionalText(model, "continuing_subword_prefix"));
        String suffix = emptyToNull(HfJson.optionalText(model, "end_of_word_suffix"));
        int prefixLength = prefix == null ? 0 : prefix.length();
        JsonNode mergesNode = HfJson.array(model, "merges", where);
        MergeTable merges = new MergeTable(mergesNode.size());
        int[] mergedIdByRank = new int[mergesNode.size()];
        int rank = 0;
        for (JsonNode m : mergesNode) {
            String left;
            String right;
            if (m.isArray() && m.size() == 2) {
                left = m.get(0).asText();
                right = m.get(1).asText();
            } else {
                String[] parts = m.asText().split(" ", -1);
                if (!m.isTextual() || parts.length != 2) throw new TokenizerException(where + " merge #" + (rank + 1) + " is malformed: " + m);
                left = parts[0];
                right = parts[1];
            }
            Integer leftId = vocab.get(left);
            Integer rightId = vocab.get(right);
            String mergedToken = left + right.substring(Math.min(prefixLength, right.length()));
            Integer mergedId = vocab.get(mergedToken);
            if (leftId == null || rightId == null || mergedId == null) {
                String missing = leftId == null ? left : rightId == null ? right : mergedToken;
                throw new TokenizerException(where + " merge #" + (rank + 1) + " uses '" + missing + "', which is not in the vocab");
            }
            merges.put(leftId, rightId, rank, mergedId);
            mergedIdByRank[rank] = mergedId;
            rank++;
        }
        String unk = HfJson.optionalText(model, "unk_token");
        int unkId = -1;
        if (unk != null) {
            Integer id = vocab.get(unk);
            if (id == null) throw new TokenizerException(where + " unk_token '" + unk + "' is not in the vocab");
            unkId = id;
        }
        return new BpeModel(vocab, tokens, merges, mergedIdByRank, unkId, HfJson.bool(model, "fuse_unk", false),
                HfJson.bool(model, "byte_fallback", false), HfJson.bool(model, "ignore_merges", false), prefix, suffix);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Id of a vocabulary string, or -1. */
    int idOf(String token) {
        Integer id = vocab.get(token);
        return id == null ? -1 : id;
    }

    /** Vocabulary string of an id, or null. */
    String tokenOf(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    /** Number of vocabulary entries (HF's {@code get_vocab_size}). */
    int size() {
        return vocab.size();
    }

    int maxId() {
        return tokens.length - 1;
    }

    /** Appends the ids of one pre-tokenized word. */
    void tokenize(String word, IntList out) {
        if (word.isEmpty()) return;
        if (ignoreMerges) {
            Integer whole = vocab.get(word);
            if (whole != null) {
                out.add(whole);
                return;
            }
        }
        boolean cacheable = word.length() < CACHE_MAX_WORD;
        if (cacheable) {
            int[] hit = cache.get(word);
            if (hit != null) {
                out.addAll(hit);
                return;
            }
        }
        int[] ids = mergeWord(word);
        if (cacheable && cache.size() < CACHE_CAPACITY) cache.put(word, ids);
        out.addAll(ids);
    }

    private int[] mergeWord(String word) {
        int[] symbols = new int[word.length() + 8];
        int count = 0;
        boolean unkPending = false;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int end = i + Character.charCount(cp);
            String piece = null;
            int id;
            if (subwordPrefix == null && wordSuffix == null) {
                id = cp < bmpCharIds.length ? bmpCharIds[cp] : otherCharIds.getOrDefault(cp, -1);
            } else {
                piece = word.substring(i, end);
                if (subwordPrefix != null && i > 0) piece = subwordPrefix + piece;
                if (wordSuffix != null && end == word.length()) piece = piece + wordSuffix;
                id = idOf(piece);
            }
            i = end;
            if (count + 8 > symbols.length) symbols = Arrays.copyOf(symbols, symbols.length * 2);
            if (id >= 0) {
                if (unkPending) {
                    symbols[count++] = unkId;
                    unkPending = false;
                }
                symbols[count++] = id;
                continue;
            }
            if (byteFallback) {
                if (piece == null) piece = new String(Character.toChars(cp));
                byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
                boolean all = true;
                for (byte b : bytes) all &= byteTokenIds[b & 0xFF] >= 0;
                if (all) {
                    if (count + bytes.length > symbols.length) symbols = Arrays.copyOf(symbols, (count + bytes.length) * 2);
                    for (byte b : bytes) symbols[count++] = byteTokenIds[b & 0xFF];
                    continue; // like HF, a pending unk stays pending here
                }
            }
            if (unkId >= 0) {
                if (unkPending && !fuseUnk) symbols[count++] = unkId;
                unkPending = true;
            }
            // Without unk_token HF silently drops a character it cannot encode.
        }
        if (unkPending) symbols[count++] = unkId;
        return merge(symbols, count);
    }

    /** Applies merges lowest rank first (leftmost on ties), as HF's {@code Word::merge_all}. */
    private int[] merge(int[] symbols, int count) {
        if (count < 2) return Arrays.copyOf(symbols, count);
        int[] prev = new int[count];
        int[] next = new int[count];
        for (int i = 0; i < count; i++) {
            prev[i] = i - 1;
            next[i] = i + 1; // count means "none"
        }
        LongHeap queue = new LongHeap(count);
        for (int i = 0; i + 1 < count; i++) {
            int slot = merges.find(symbols[i], symbols[i + 1]);
            if (slot >= 0) queue.push(entry(merges.rank(slot), i));
        }
        int remaining = count;
        while (!queue.isEmpty()) {
            long top = queue.pop();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            if (symbols[pos] < 0) continue; // merged into its left neighbour meanwhile
            int right = next[pos];
            if (right >= count) continue;
            int slot = merges.find(symbols[pos], symbols[right]);
            if (slot < 0 || merges.mergedId(slot) != mergedIdByRank[rank]) continue; // stale entry
            symbols[pos] = mergedIdByRank[rank];
            symbols[right] = -1;
            remaining--;
            int after = next[right];
            next[pos] = after;
            if (after < count) prev[after] = pos;
            int before = prev[pos];
            if (before >= 0) {
                int s = merges.find(symbols[before], symbols[pos]);
                if (s >= 0) queue.push(entry(merges.rank(s), before));
            }
            if (after < count) {
                int s = merges.find(symbols[pos], symbols[after]);
                if (s >= 0) queue.push(entry(merges.rank(s), pos));
            }
        }
        int[] out = new int[remaining];
        int k = 0;
        for (int i = 0; i < count; i = next[i]) out[k++] = symbols[i];
        return out;
    }

    /** Orders by rank, then by position: the pair HF's BinaryHeap pops first. */
    private static long entry(int rank, int pos) {
        return ((long) rank << 32) | pos;
    }

    /** A binary min-heap of longs. */
    private static final class LongHeap {
        private long[] heap;
        private int size;

        LongHeap(int capacity) {
            heap = new long[Math.max(capacity, 4)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= v) break;
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = v;
        }

        long pop() {
            long top = heap[0];
            long last = heap[--size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < size && heap[child + 1] < heap[child]) child++;
                if (heap[child] >= last) break;
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
            return top;
        }
    }
}
