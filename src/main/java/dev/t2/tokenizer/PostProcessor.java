package dev.t2.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code post_processor} of {@code tokenizer.json}: adds the model's special tokens (BOS, CLS/SEP...) around
 * an encoded single sequence, only when special tokens are requested.
 */
interface PostProcessor {

    int[] addSpecialTokens(int[] ids);

    /** The first token put before the sequence (the BOS or CLS), or -1 when nothing goes before it. */
    default int leadingToken() {
        int marker = Integer.MIN_VALUE; // stands for the encoded text
        int[] out = addSpecialTokens(new int[] {marker});
        return out.length > 0 && out[0] != marker ? out[0] : -1;
    }

    /** The post-processor described by {@code node}, or null when the file has none. */
    static PostProcessor fromJson(JsonNode node) {
        if (HfJson.isAbsent(node)) return null;
        String type = HfJson.type(node, "post_processor");
        String where = "post_processor " + type;
        return switch (type) {
            case "Sequence" -> {
                List<PostProcessor> steps = new ArrayList<>();
                for (JsonNode n : HfJson.array(node, "processors", where)) {
                    PostProcessor step = fromJson(n);
                    if (step != null) steps.add(step);
                }
                yield ids -> {
                    for (PostProcessor p : steps) ids = p.addSpecialTokens(ids);
                    return ids;
                };
            }
            case "ByteLevel" -> ids -> ids; // only adjusts offsets
            case "TemplateProcessing" -> Template.fromJson(node, where);
            case "RobertaProcessing", "BertProcessing" -> {
                int cls = tokenPairId(node, "cls", where);
                int sep = tokenPairId(node, "sep", where);
                yield ids -> {
                    int[] out = new int[ids.length + 2];
                    out[0] = cls;
                    System.arraycopy(ids, 0, out, 1, ids.length);
                    out[ids.length + 1] = sep;
                    return out;
                };
            }
            default -> throw new TokenizerException("unsupported post_processor type '" + type + "'");
        };
    }

    /** Roberta/Bert store their tokens as {@code ["</s>", 2]}. */
    private static int tokenPairId(JsonNode node, String field, String where) {
        JsonNode pair = node.get(field);
        if (pair == null || !pair.isArray() || pair.size() != 2 || !pair.get(1).canConvertToInt()) {
            throw new TokenizerException(where + " needs \"" + field + "\": [token, id]");
        }
        return pair.get(1).asInt();
    }

    /** HF's TemplateProcessing for a single sequence: e.g. {@code <s> $A} for Llama. */
    record Template(List<int[]> pieces) implements PostProcessor {
        /** A null entry in {@code pieces} stands for the sequence itself. */
        static Template fromJson(JsonNode node, String where) {
            JsonNode specials = node.get("special_tokens");
            List<int[]> pieces = new ArrayList<>();
            for (JsonNode piece : HfJson.array(node, "single", where)) {
                if (piece.has("Sequence")) {
                    pieces.add(null);
                } else if (piece.has("SpecialToken")) {
                    String name = HfJson.text(piece.get("SpecialToken"), "id", where + " SpecialToken");
                    JsonNode special = specials == null ? null : specials.get(name);
                    if (special == null) throw new TokenizerException(where + " uses special token '" + name + "' without defining it");
                    JsonNode idsNode = HfJson.array(special, "ids", where + " special token '" + name + "'");
                    int[] ids = new int[idsNode.size()];
                    for (int i = 0; i < ids.length; i++) ids[i] = idsNode.get(i).asInt();
                    pieces.add(ids);
                } else {
                    throw new TokenizerException(where + " has an unknown template piece " + piece);
                }
            }
            return new Template(pieces);
        }

        public int[] addSpecialTokens(int[] ids) {
            IntList out = new IntList(ids.length + 4);
            for (int[] piece : pieces) out.addAll(piece == null ? ids : piece);
            return out.toArray();
        }
    }
}
