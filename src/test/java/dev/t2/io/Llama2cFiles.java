package dev.t2.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The llama2.c layouts written out independently of the reader, from llama2.c's export.py: the legacy file
 * (7-int header; embeddings, per-layer tensors grouped by kind, final norm, RoPE tables, classifier when not
 * shared) and version 1 ({@code version1_export}: 256-byte "ak42" header; norms first, then embeddings, then
 * matrices grouped by kind, classifier when not shared).
 */
final class Llama2cFiles {
    static final int MAGIC = 0x616b3432;

    private Llama2cFiles() {}

    /** The header and the weights of a legacy file as raw little-endian f32 byte blocks, in export order. */
    record Legacy(int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seqLen, boolean shared,
                  byte[] embedding, byte[] attentionNorms, byte[] wq, byte[] wk, byte[] wv, byte[] wo, byte[] ffnNorms,
                  byte[] w1, byte[] w2, byte[] w3, byte[] finalNorm, byte[] ropeTables, byte[] classifier) {

        int headDim() {
            return dim / heads;
        }

        /** Start offset of every block in the legacy file (header end first), for truncating at boundaries. */
        List<Long> blockBoundaries() {
            List<Long> out = new ArrayList<>();
            long at = 28;
            out.add(at);
            for (byte[] b : new byte[][] {embedding, attentionNorms, wq, wk, wv, wo, ffnNorms, w1, w2, w3, finalNorm, ropeTables, classifier}) {
                if (b == null) continue;
                at += b.length;
                out.add(at);
            }
            return out;
        }
    }

    static Legacy parseLegacy(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int dim = in.getInt(), hidden = in.getInt(), layers = in.getInt(), heads = in.getInt(), kv = in.getInt(),
                signedVocab = in.getInt(), seq = in.getInt();
        int vocab = Math.abs(signedVocab), headDim = dim / heads, kvDim = kv * headDim;
        var take = new Object() {
            byte[] floats(long n) {
                byte[] b = new byte[Math.toIntExact(4 * n)];
                in.get(b);
                return b;
            }
        };
        Legacy l = new Legacy(dim, hidden, layers, heads, kv, vocab, seq, signedVocab > 0,
                take.floats((long) vocab * dim), take.floats((long) layers * dim),
                take.floats((long) layers * dim * dim), take.floats((long) layers * kvDim * dim),
                take.floats((long) layers * kvDim * dim), take.floats((long) layers * dim * dim),
                take.floats((long) layers * dim),
                take.floats((long) layers * hidden * dim), take.floats((long) layers * dim * hidden),
                take.floats((long) layers * hidden * dim),
                take.floats(dim), take.floats(2L * seq * headDim / 2),
                signedVocab > 0 ? null : take.floats((long) vocab * dim));
        if (in.hasRemaining()) throw new IllegalStateException(in.remaining() + " bytes left after the legacy layout");
        return l;
    }

    static byte[] legacy(Legacy l) {
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(l.blockBoundaries().getLast())).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(l.dim()).putInt(l.hidden()).putInt(l.layers()).putInt(l.heads()).putInt(l.kvHeads())
                .putInt(l.shared() ? l.vocab() : -l.vocab()).putInt(l.seqLen());
        for (byte[] b : new byte[][] {l.embedding(), l.attentionNorms(), l.wq(), l.wk(), l.wv(), l.wo(), l.ffnNorms(),
                l.w1(), l.w2(), l.w3(), l.finalNorm(), l.ropeTables()}) {
            out.put(b);
        }
        if (!l.shared()) out.put(l.classifier());
        return out.array();
    }

    /** The same weights in llama2.c's version 1 layout. */
    static byte[] version1(Legacy l) {
        List<byte[]> blocks = new ArrayList<>(List.of(l.attentionNorms(), l.ffnNorms(), l.finalNorm(), l.embedding(),
                l.wq(), l.wk(), l.wv(), l.wo(), l.w1(), l.w2(), l.w3()));
        if (!l.shared()) blocks.add(l.classifier());
        long size = 256;
        for (byte[] b : blocks) size += b.length;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putInt(1).putInt(l.dim()).putInt(l.hidden()).putInt(l.layers()).putInt(l.heads())
                .putInt(l.kvHeads()).putInt(l.vocab()).putInt(l.seqLen()).put((byte) (l.shared() ? 1 : 0));
        out.position(256); // zero padding
        for (byte[] b : blocks) out.put(b);
        return out.array();
    }

    /** The legacy weights with a separate classifier (not shared with the embedding). */
    static Legacy withClassifier(Legacy l, byte[] classifier) {
        if (classifier.length != l.embedding().length) throw new IllegalArgumentException("classifier size " + classifier.length);
        return new Legacy(l.dim(), l.hidden(), l.layers(), l.heads(), l.kvHeads(), l.vocab(), l.seqLen(), false,
                l.embedding(), l.attentionNorms(), l.wq(), l.wk(), l.wv(), l.wo(), l.ffnNorms(), l.w1(), l.w2(), l.w3(),
                l.finalNorm(), l.ropeTables(), Arrays.copyOf(classifier, classifier.length));
    }
}
