package dev.t2.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** Small conveniences for reading encodings in tests. */
final class EncodeHelpers {

    private EncodeHelpers() {}

    /** The vocabulary strings of {@code ids}. */
    static List<String> strings(Tokenizer tokenizer, int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) out.add(tokenizer.tokenString(id));
        return out;
    }
}
