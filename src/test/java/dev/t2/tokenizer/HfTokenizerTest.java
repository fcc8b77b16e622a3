package dev.t2.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2.testing.SharedFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What each real tokenizer adds, which ids are special, raw token bytes, and long inputs. */
class HfTokenizerTest {

    @TempDir
    Path dir;

    private static HfTokenizer load(String folder) {
        return TokenizerFiles.load(SharedFiles.hf(folder).resolve("tokenizer.json"));
    }

    static List<Path> files() {
        return TokenizerFiles.all();
    }

    @Test
    void gpt2AddsNothingAndKnowsItsEndOfText() {
        HfTokenizer gpt2 = load("gpt2");
        assertThat(gpt2.encode("Hello world", true)).containsExactly(15496, 995);
        assertThat(gpt2.vocabSize()).isEqualTo(50257);
        assertThat(gpt2.bosId()).isEqualTo(50256);
        assertThat(gpt2.eosId()).isEqualTo(50256);
        assertThat(gpt2.isSpecial(50256)).isTrue();
        assertThat(gpt2.isSpecial(995)).isFalse();
        assertThat(new String(gpt2.tokenBytes(gpt2.tokenId("Ġworld")), StandardCharsets.UTF_8)).isEqualTo(" world");
        assertThat(gpt2.tokenBytes(gpt2.tokenId("Ċ"))).containsExactly('\n');
    }

    @Test
    void llamaAddsBosAndDecodesByteFallback() {
        HfTokenizer llama = load("llama-tokenizer_hf-internal-testing");
        assertThat(llama.encode("Hello world", true)).containsExactly(1, 15043, 3186);
        assertThat(llama.encode("Hello world", false)).containsExactly(15043, 3186);
        assertThat(llama.encode("", true)).containsExactly(1);
        assertThat(llama.encode("", false)).isEmpty();
        assertThat(llama.bosId()).isEqualTo(1);
        assertThat(llama.eosId()).isEqualTo(2);
        assertThat(llama.vocabSize()).isEqualTo(32000);
        assertThat(llama.tokenString(2)).isEqualTo("</s>");
        assertThat(llama.tokenBytes(llama.tokenId("<0x0A>"))).containsExactly('\n');
        assertThat(llama.tokenBytes(llama.tokenId("<0xE4>"))).containsExactly((byte) 0xE4);
        assertThat(new String(llama.tokenBytes(15043), StandardCharsets.UTF_8)).isEqualTo(" Hello");
        assertThat(llama.decode(llama.encode("Hello world", true), false)).isEqualTo("<s> Hello world");
        assertThat(llama.decode(llama.encode("Hello world", true), true)).isEqualTo("Hello world");
    }

    @Test
    void mistralAddsBosFromItsTemplateAndReadsItsConfig() {
        HfTokenizer mistral = load("Mixtral-8x22B-v0.1_mistral-community");
        assertThat(mistral.encode("Hi", true)[0]).isEqualTo(1);
        assertThat(mistral.config().addBosToken()).isTrue();
        assertThat(mistral.config().addEosToken()).isFalse();
        assertThat(mistral.eosId()).isEqualTo(2);
    }

    @Test
    void qwenAddsNothingAndSeparatesSpecialFromOtherAddedTokens() {
        HfTokenizer qwen = load("Qwen2.5-1.5B-Instruct");
        assertThat(qwen.encode("Hello world", true)).containsExactly(9707, 1879);
        assertThat(qwen.bosId()).isEqualTo(-1);
        assertThat(qwen.eosId()).isEqualTo(qwen.tokenId("<|im_end|>")).isEqualTo(151645);
        assertThat(qwen.vocabSize()).isEqualTo(151665);
        assertThat(qwen.isSpecial(qwen.tokenId("<|im_start|>"))).isTrue();
        assertThat(qwen.isSpecial(qwen.tokenId("<|fim_prefix|>"))).isFalse(); // added, but not special
        assertThat(qwen.encode("<|im_start|>user", false)).startsWith(151644);
        assertThat(qwen.config().chatTemplate()).contains("<|im_start|>");
    }

    @Test
    void llama3AddsWhatItsPostProcessorSays() throws IOException {
        // This (first published) Llama-3 tokenizer.json has only a ByteLevel post-processor, so HF adds no
        // <|begin_of_text|>; Meta's later revision adds it with a TemplateProcessing, which we follow too.
        HfTokenizer original = load("Meta-Llama-3-8B-Instruct");
        assertThat(original.encode("Hello world", true)).containsExactly(9906, 1917);
        assertThat(original.bosId()).isEqualTo(128000);
        assertThat(original.eosId()).isEqualTo(original.tokenId("<|eot_id|>")).isEqualTo(128009);
        assertThat(original.vocabSize()).isEqualTo(128256);
        assertThat(original.encode("<|begin_of_text|>Hello world", false)).containsExactly(128000, 9906, 1917);

        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(original.source().toFile());
        root.set("post_processor", json.readTree(LLAMA3_LATER_POST_PROCESSOR));
        Path file = dir.resolve("tokenizer.json");
        json.writeValue(file.toFile(), root);
        HfTokenizer revised = HfTokenizer.load(file);
        assertThat(revised.encode("Hello world", true)).containsExactly(128000, 9906, 1917)
                .containsExactly(HfReference.of(file).encode("Hello world", true));
        assertThat(revised.encode("Hello world", false)).containsExactly(9906, 1917);
        assertThat(revised.bosId()).as("from the post-processor: no tokenizer_config.json here").isEqualTo(128000);
    }

    /** The post-processor of Meta's revised Llama-3 tokenizer.json. */
    static final String LLAMA3_LATER_POST_PROCESSOR = """
            {"type": "Sequence", "processors": [
              {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
              {"type": "TemplateProcessing",
               "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
               "pair": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                        {"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
               "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [128000], "tokens": ["<|begin_of_text|>"]}}}]}""";

    @Test
    void unknownTokensAndIds() {
        HfTokenizer gpt2 = load("gpt2");
        assertThat(gpt2.tokenId("definitely not a token")).isEqualTo(-1);
        assertThatThrownBy(() -> gpt2.tokenString(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> gpt2.tokenString(50257)).hasMessageContaining("50257");
        assertThat(gpt2.decode(new int[] {15496, 999_999, -3, 995}, false)).isEqualTo("Hello world"); // HF skips them
    }

    @Test
    void loneSurrogatesAreEncodedAsReplacementCharacters() {
        HfTokenizer llama3 = load("Meta-Llama-3-8B-Instruct");
        assertThat(llama3.encode("a\uD800b\uDC00", false)).containsExactly(llama3.encode("a\uFFFDb\uFFFD", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void tokenBytesSpellTheTextTheModelSaw(Path file) {
        HfTokenizer tokenizer = TokenizerFiles.load(file);
        boolean sentencePiece = tokenizer.tokenId("▁the") >= 0;
        for (String line : TokenizerFiles.corpusLines()) {
            if (line.isEmpty() || line.contains("<") || line.contains("\u00ad")) continue; // specials; NFC-sensitive
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int id : tokenizer.encode(line, false)) bytes.writeBytes(tokenizer.tokenBytes(id));
            String normalized = java.text.Normalizer.normalize(line, java.text.Normalizer.Form.NFC);
            String expected = sentencePiece ? " " + line : file.toString().contains("Qwen") ? normalized : line;
            assertThat(bytes.toString(StandardCharsets.UTF_8)).as(line).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void encodesAMegabyteOfMixedText(Path file) {
        // Not timed: a quadratic merge loop would make this take minutes and the suite would time out.
        HfTokenizer tokenizer = TokenizerFiles.load(file);
        List<String> lines = TokenizerFiles.corpusLines();
        Random random = new Random(3);
        StringBuilder text = new StringBuilder(1_050_000);
        while (text.length() < 1_000_000) text.append(lines.get(random.nextInt(lines.size()))).append(random.nextBoolean() ? "\n" : " ");
        String big = text.toString();
        int[] ids = tokenizer.encode(big, false);
        assertThat(ids.length).isBetween(big.length() / 8, big.length());
        String back = tokenizer.decode(ids, false);
        if (tokenizer.decode(tokenizer.encode(TokenizerFiles.corpus(), false), false).equals(TokenizerFiles.corpus())) {
            assertThat(back).isEqualTo(big);
        }
        // One giant word: SentencePiece-style files have no pre-tokenizer, so this is a single BPE merge run.
        String oneWord = "ab".repeat(250_000);
        assertThat(tokenizer.decode(tokenizer.encode(oneWord, false), false)).endsWith("abab");
    }
}
