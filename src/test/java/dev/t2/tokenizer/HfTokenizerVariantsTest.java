package dev.t2.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2.testing.SharedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pipeline parts our shared files do not use (Metaspace pre-tokenizer in its old and new forms, added-token flags,
 * split behaviours, other normalizers and post-processors, unk tokens), checked against HF on variants of the real
 * files: the real vocabularies with one component swapped.
 */
class HfTokenizerVariantsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, JsonNode> BASES = new ConcurrentHashMap<>();

    @TempDir
    static Path dir;

    static Stream<Arguments> variants() {
        return Stream.of(
                variant("metaspace prepend_scheme first, HF's Llama-2 decoders", "llama-tokenizer_hf-internal-testing", """
                        {"normalizer": null,
                         "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false},
                         "decoder": {"type": "Sequence", "decoders": [
                            {"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"},
                            {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}}""", true),
                variant("metaspace prepend_scheme first with splitting, Metaspace decoder", "llama-tokenizer_hf-internal-testing", """
                        {"normalizer": null,
                         "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": true},
                         "decoder": {"type": "Sequence", "decoders": [{"type": "ByteFallback"},
                            {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": true}]}}""", false),
                variant("metaspace legacy add_prefix_space", "llama-tokenizer_hf-internal-testing", """
                        {"normalizer": null,
                         "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "add_prefix_space": true},
                         "decoder": {"type": "Metaspace", "replacement": "▁", "add_prefix_space": true}}""", false),
                variant("metaspace never prepend, legacy false flag", "llama-tokenizer_hf-internal-testing", """
                        {"normalizer": null,
                         "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "add_prefix_space": false, "prepend_scheme": "never"},
                         "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never"}}""", false),
                variant("unk tokens fused, no byte fallback", "llama-tokenizer_hf-internal-testing", """
                        {"model": {"byte_fallback": false, "fuse_unk": true}}""", false),
                variant("unk tokens not fused, no byte fallback", "llama-tokenizer_hf-internal-testing", """
                        {"model": {"byte_fallback": false, "fuse_unk": false}}""", false),
                variant("added-token flags, NFKC + lowercase, prefix space, Roberta", "gpt2", """
                        {"normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"}]},
                         "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
                         "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", 50256],
                            "cls": ["<|endoftext|>", 50256], "trim_offsets": true, "add_prefix_space": true},
                         "added_tokens+": [
                            {"id": 50257, "content": "<mask>", "single_word": false, "lstrip": true, "rstrip": false, "normalized": false, "special": true},
                            {"id": 50258, "content": "Hello", "single_word": true, "lstrip": false, "rstrip": false, "normalized": true, "special": false},
                            {"id": 50259, "content": "World", "single_word": false, "lstrip": false, "rstrip": true, "normalized": false, "special": false},
                            {"id": 50260, "content": "dog", "single_word": false, "lstrip": true, "rstrip": true, "normalized": true, "special": true},
                            {"id": 50261, "content": "ﬁne", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": false}]}""", false),
                variant("split behaviours, \\\\h and \\\\p{Han}, template", "gpt2", """
                        {"pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                            {"type": "Split", "pattern": {"Regex": "\\\\p{Han}+"}, "behavior": "Isolated", "invert": false},
                            {"type": "Split", "pattern": {"Regex": "\\\\d"}, "behavior": "MergedWithPrevious", "invert": false},
                            {"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithNext", "invert": false},
                            {"type": "Split", "pattern": {"Regex": "\\\\h{2}"}, "behavior": "Contiguous", "invert": true},
                            {"type": "Punctuation", "behavior": "Contiguous"},
                            {"type": "Digits", "individual_digits": true},
                            {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]},
                         "post_processor": {"type": "TemplateProcessing",
                            "single": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                       {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}],
                            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
                            "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [50256], "tokens": ["<|endoftext|>"]}}}}""", false),
                variant("whitespace words, removed splits, accents stripped, Bert", "gpt2", """
                        {"normalizer": {"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"},
                            {"type": "Strip", "strip_left": true, "strip_right": true},
                            {"type": "Replace", "pattern": {"Regex": "\\\\s+"}, "content": " "}]},
                         "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                            {"type": "Whitespace"}, {"type": "Digits", "individual_digits": false},
                            {"type": "Split", "pattern": {"Regex": "[aeiou]"}, "behavior": "Removed", "invert": false},
                            {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]},
                         "post_processor": {"type": "BertProcessing", "sep": ["<|endoftext|>", 50256], "cls": ["<|endoftext|>", 50256]}}""", false),
                variant("Bert pre-tokenizer, whitespace split", "gpt2", """
                        {"pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "BertPreTokenizer"},
                            {"type": "WhitespaceSplit"}, {"type": "Split", "pattern": {"Regex": "[aeiou]"}, "behavior": "MergedWithNext", "invert": true},
                            {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}}""", false));
    }

    private static Arguments variant(String name, String base, String changes, boolean rawAddedTokens) {
        return Arguments.of(name, base, changes, rawAddedTokens);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void variantEncodesAndDecodesLikeHf(String name, String base, String changes, boolean rawAddedTokens) throws IOException {
        Path file = write(name, base, changes, rawAddedTokens);
        HfTokenizer mine = HfTokenizer.load(file);
        HfReference hf = HfReference.of(file);
        List<String> texts = new ArrayList<>(TokenizerFiles.corpusLines());
        texts.addAll(TokenizerFiles.trickyStrings());
        texts.addAll(List.of("Hello World hello world HELLO <mask> dog a dog  doggy Hello, World!", "x<mask>y  <mask>  z",
                "ﬁne ﬁnal Ⅻ ½ ｆｕｌｌ", "say Hello", "Hello", "WorldWorld World   !", "  <s>  hi </s>  ", "<s>hi"));
        HfTokenizerExactnessTest.assertSameAsHf(mine, file, texts);
    }

    @Test
    void charactersNewerThanUnicode9NormalizeLikeHf() throws IOException {
        // HF's normalization tables are Unicode 9.0: later marks, decompositions and compositions are left alone,
        // and StripAccents removes only the marks Unicode 9.0 had.
        // Probes for every character Java normalizes in some way: marks (reordered after a ccc-1 mark) and
        // characters with a decomposition, each alone, after a mark and decomposed.
        List<String> texts = new ArrayList<>();
        for (int cp = 0xA0; cp < 0x110000; cp++) {
            if (!Character.isDefined(cp) || Character.getType(cp) == Character.SURROGATE || (cp >= 0xAC00 && cp <= 0xD7A3)) continue;
            String c = Character.toString(cp);
            boolean mark = !java.text.Normalizer.isNormalized("a" + c + "\u0334", java.text.Normalizer.Form.NFD);
            boolean decomposes = !java.text.Normalizer.isNormalized(c, java.text.Normalizer.Form.NFKD);
            if (mark) texts.add("e\u0301" + c + "\u0334\u0316");
            if (UnicodeChars.isMark(cp)) texts.add("x" + c + "x");
            if (decomposes) texts.addAll(List.of(c, java.text.Normalizer.normalize(c, java.text.Normalizer.Form.NFKD)));
        }
        texts.addAll(List.of("\u1100\u1161\u11A8", "A\u030A\u0301", "\u1E9B\u0323", "ﬁ ² Å Ω", "\uD801\uDDD2\u0307",
                "x\u1CF2\u1CF3x\uD804\uDDC9x")); // categories that changed since Unicode 9.0
        for (String form : new String[] {"NFC", "NFD", "NFKC", "NFKD", "StripAccents"}) {
            Path file = write("normalizer " + form, "gpt2", "{\"normalizer\": {\"type\": \"" + form + "\"}}", false);
            HfTokenizerExactnessTest.assertSameAsHf(HfTokenizer.load(file), file, texts);
        }
    }

    @Test
    void onigurumaWordClassesMatchHf() throws IOException {
        // Oniguruma's \w differs from Java's (², ½, joiners), and differs again inside brackets.
        Path file = write("oniguruma word classes", "gpt2", """
                {"pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                    {"type": "Split", "pattern": {"Regex": "x\\\\b"}, "behavior": "Removed", "invert": false},
                    {"type": "Split", "pattern": {"Regex": "[^\\\\w\\\\s]"}, "behavior": "MergedWithNext", "invert": false},
                    {"type": "Split", "pattern": {"Regex": "\\\\w"}, "behavior": "Removed", "invert": false},
                    {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}}""", false);
        List<String> texts = new ArrayList<>();
        for (int cp = 0; cp < 0x3000; cp++) {
            if (Character.isSurrogate((char) cp)) continue;
            texts.add("x" + Character.toString(cp) + "x.");
        }
        HfTokenizerExactnessTest.assertSameAsHf(HfTokenizer.load(file), file, texts);
    }

    /** The base file with the given top-level parts replaced; "model" is merged, "added_tokens+" appended. */
    private static Path write(String name, String base, String changes, boolean rawAddedTokens) throws IOException {
        ObjectNode root = BASES.computeIfAbsent(base, b -> {
            try {
                return JSON.readTree(SharedFiles.hf(b).resolve("tokenizer.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).deepCopy();
        JsonNode patch = JSON.readTree(changes);
        for (var e : patch.properties()) {
            switch (e.getKey()) {
                case "model" -> ((ObjectNode) root.get("model")).setAll((ObjectNode) e.getValue());
                case "added_tokens+" -> ((ArrayNode) root.get("added_tokens")).addAll((ArrayNode) e.getValue());
                default -> root.set(e.getKey(), e.getValue());
            }
        }
        if (rawAddedTokens) {
            for (JsonNode t : root.get("added_tokens")) ((ObjectNode) t).put("normalized", false);
        }
        Path file = dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "-")).resolve("tokenizer.json");
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), root);
        return file;
    }
}
