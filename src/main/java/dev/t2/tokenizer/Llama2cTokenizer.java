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

    /** Reads {@code vocabSize} entries, or every entry up to the end of the file when vocabSize is -1. */
    public static Llama2cTokenizer read(Path file, int vocabSize) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e.getMessage(), e);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        java.util.List<String> pieces = new java.util.ArrayList<>();
        java.util.List<Float> scores = new java.util.ArrayList<>();
        try {
            buf.getInt(); // max token length, not needed
            while (vocabSize < 0 ? buf.hasRemaining() : pieces.size() < vocabSize) {
                scores.add(buf.getFloat());
                int len = buf.getInt();
                if (len < 0 || len > buf.remaining()) throw new TokenizerException(file + ": token " + pieces.size() + " has invalid length " + len);
                byte[] piece = new byte[len];
                buf.get(piece);
                pieces.add(new String(piece, StandardCharsets.UTF_8));
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new TokenizerException(file + ": truncated after " + pieces.size() + " tokens" + (vocabSize > 0 ? " of " + vocabSize : ""), e);
        }
        if (pieces.size() < 3 + 256) throw new TokenizerException(file + ": only " + pieces.size() + " tokens; a llama2.c vocabulary has <unk>, BOS, EOS and 256 byte tokens first");
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) s[i] = scores.get(i);
        return new Llama2cTokenizer(pieces.toArray(String[]::new), s);
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

    /** The merge score of piece {@code id}: the higher, the earlier pairs merge into it (what GGUF stores as scores). */
    public float score(int id) {
        return scores[id];
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

    /**
     * The same tokenizer as a Hugging Face {@code tokenizer.json} (SentencePiece-style BPE with byte
     * fallback, as Llama 2's): merges are every split of a piece into two pieces, ranked by the merged piece's
     * score, which reproduces llama2.c's highest-score-first merging.
     */
    public com.fasterxml.jackson.databind.node.ObjectNode toHuggingFaceJson() {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = mapper.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        var added = root.putArray("added_tokens");
        String[] specials = {"<unk>", "<s>", "</s>"};
        for (int id = 0; id < 3; id++) {
            var t = added.addObject();
            t.put("id", id).put("content", specials[id]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        var normalizer = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
        normalizer.addObject().put("type", "Prepend").put("prepend", "\u2581");
        var replace = normalizer.addObject().put("type", "Replace");
        replace.putObject("pattern").put("String", " ");
        replace.put("content", "\u2581");
        root.putNull("pre_tokenizer");
        var post = root.putObject("post_processor").put("type", "TemplateProcessing");
        var single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        var pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        var bos = post.putObject("special_tokens").putObject("<s>").put("id", "<s>");
        bos.putArray("ids").add(1);
        bos.putArray("tokens").add("<s>");
        var decoders = root.putObject("decoder").put("type", "Sequence").putArray("decoders");
        var dr = decoders.addObject().put("type", "Replace");
        dr.putObject("pattern").put("String", "\u2581");
        dr.put("content", " ");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        var model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout").put("unk_token", "<unk>").putNull("continuing_subword_prefix")
                .putNull("end_of_word_suffix").put("fuse_unk", true).put("byte_fallback", true).put("ignore_merges", false);
        var vocab = model.putObject("vocab");
        String[] hfPieces = new String[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            hfPieces[i] = i < 3 ? specials[i] : pieces[i].replace(' ', '\u2581');
            vocab.put(hfPieces[i], i);
        }
        var mergeArray = model.putArray("merges");
        for (SentencePieceMerges.Merge m : SentencePieceMerges.of(hfPieces, scores, id -> id >= 3)) {
            mergeArray.addArray().add(m.left()).add(m.right());
        }
        return root;
    }
}
