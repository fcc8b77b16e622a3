package dev.t2.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference: HF tokenizers' own Rust code (bundled in DJL's jar), configured to do nothing beyond the file
 * (DJL otherwise truncates to 512 tokens and pads). One instance per file per test run.
 */
final class HfReference {

    private static final Map<Path, HfReference> LOADED = new ConcurrentHashMap<>();
    private static final Map<String, String> AS_IS = Map.of("addSpecialTokens", "false", "truncation", "false",
            "padding", "false");

    private final HuggingFaceTokenizer hf;

    private HfReference(HuggingFaceTokenizer hf) {
        this.hf = hf;
    }

    static HfReference of(Path tokenizerJson) {
        return LOADED.computeIfAbsent(tokenizerJson.toAbsolutePath().normalize(), p -> {
            try {
                return new HfReference(HuggingFaceTokenizer.newInstance(p, AS_IS));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Like {@code tokenizer.encode(text, add_special_tokens=addSpecialTokens).ids}. */
    int[] encode(String text, boolean addSpecialTokens) {
        return Arrays.stream(hf.encode(text, addSpecialTokens, false).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    /** The token strings of the encoding, for readable failure messages. */
    String tokens(String text, boolean addSpecialTokens) {
        return Arrays.toString(hf.encode(text, addSpecialTokens, false).getTokens());
    }

    String decode(int[] ids, boolean skipSpecialTokens) {
        return hf.decode(Arrays.stream(ids).asLongStream().toArray(), skipSpecialTokens);
    }
}
