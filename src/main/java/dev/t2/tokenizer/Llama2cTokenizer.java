package dev.t2.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * llama2.c's {@code tokenizer.bin}: a SentencePiece BPE vocabulary with merge scores. Encoding follows
 * llama2.c's {@code encode()}: a dummy-prefix space, code points looked up (bytes +3 as fallback), then
 * merging the adjacent pair whose merged piece has the highest score until none is in the vocabulary.
 */
public final class Llama2cTokenizer implements Tokenizer {
    private static final int BOS = 1, EOS = 2;
    private final String[] pieces;
    private final float[] scores;
    private final Map<String, Integer> ids = new HashMap<>();

    private Llama2cTokenizer(String[] pieces, float[] scores) {
        this.pieces = pieces;
        this.scores = scores;
        for (int i = 0; i < pieces.length; i++) ids.putIfAbsent(pieces[i], i);
    }

    public static Llama2cTokenizer read(Path file, int vocabSize) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e.getMessage(), e);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        String[] pieces = new String[vocabSize];
        float[] scores = new float[vocabSize];
        try {
            buf.getInt(); // max token length, not needed
            for (int i = 0; i < vocabSize; i++) {
                scores[i] = buf.getFloat();
                int len = buf.getInt();
                if (len < 0 || len > buf.remaining()) throw new TokenizerException(file + ": token " + i + " has invalid length " + len);
                byte[] piece = new byte[len];
                buf.get(piece);
                pieces[i] = new String(piece, StandardCharsets.UTF_8);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new TokenizerException(file + ": truncated: expected " + vocabSize + " tokens", e);
        }
        return new Llama2cTokenizer(pieces, scores);
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        java.util.List<Integer> tokens = new java.util.ArrayList<>();
        if (addSpecialTokens) tokens.add(BOS);
        if (!text.isEmpty()) tokens.add(ids.get(" "));
        text.codePoints().forEach(cp -> {
            String s = new String(Character.toChars(cp));
            Integer id = ids.get(s);
            if (id != null) {
                tokens.add(id);
            } else {
                for (byte b : s.getBytes(StandardCharsets.UTF_8)) tokens.add((b & 0xFF) + 3);
            }
        });
        int start = addSpecialTokens ? 1 : 0;
        int[] merged = merge(tokens.subList(start, tokens.size()).stream().mapToInt(Integer::intValue).toArray());
        int[] out = new int[start + merged.length];
        if (addSpecialTokens) out[0] = BOS;
        System.arraycopy(merged, 0, out, start, merged.length);
        return out;
    }

    /** Greedy best-score merging over a linked list with a priority queue: O(n log n). */
    private int[] merge(int[] tokens) {
        int n = tokens.length;
        int[] tok = tokens.clone(), prev = new int[n], next = new int[n], version = new int[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        record Candidate(float score, int left, int leftVersion, int right, int rightVersion, int merged) {}
        // highest score first; among equal scores the leftmost pair, as llama2.c's strict '>' scan picks
        PriorityQueue<Candidate> queue = new PriorityQueue<>((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        java.util.function.IntConsumer offer = i -> {
            int j = next[i];
            if (i < 0 || j < 0) return;
            Integer id = ids.get(pieces[tok[i]] + pieces[tok[j]]);
            if (id != null) queue.add(new Candidate(scores[id], i, version[i], j, version[j], id));
        };
        for (int i = 0; i < n; i++) offer.accept(i);
        while (!queue.isEmpty()) {
            Candidate c = queue.poll();
            if (version[c.left] != c.leftVersion || version[c.right] != c.rightVersion || next[c.left] != c.right || tok[c.left] < 0) continue;
            tok[c.left] = c.merged;
            version[c.left]++;
            tok[c.right] = -1;
            version[c.right]++;
            next[c.left] = next[c.right];
            if (next[c.right] >= 0) prev[next[c.right]] = c.left;
            if (prev[c.left] >= 0) offer.accept(prev[c.left]);
            offer.accept(c.left);
        }
        return java.util.Arrays.stream(tok).filter(t -> t >= 0).toArray();
    }

    @Override
    public String decode(int[] tokenIds, boolean skipSpecialTokens) {
        var bytes = new java.io.ByteArrayOutputStream();
        int prevToken = -1;
        for (int id : tokenIds) {
            if (skipSpecialTokens && isSpecial(id)) {
                prevToken = id;
                continue;
            }
            byte[] piece = tokenBytes(id);
            // llama2.c strips the dummy-prefix space of the first piece after BOS
            int from = (prevToken == BOS || prevToken == -1) && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
            bytes.write(piece, from, piece.length - from);
            prevToken = id;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] tokenBytes(int id) {
        String p = pieces[id];
        if (p.length() == 6 && p.startsWith("<0x") && p.endsWith(">")) {
            return new byte[] {(byte) Integer.parseInt(p.substring(3, 5), 16)};
        }
        return p.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public int tokenId(String token) {
        return ids.getOrDefault(token, -1);
    }

    @Override
    public String tokenString(int id) {
        return pieces[id];
    }

    @Override
    public boolean isSpecial(int id) {
        return id == 0 || id == BOS || id == EOS;
    }

    @Override
    public int bosId() {
        return BOS;
    }

    @Override
    public int eosId() {
        return EOS;
    }
}
