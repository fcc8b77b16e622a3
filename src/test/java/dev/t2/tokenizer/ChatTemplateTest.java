package dev.t2.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.testing.SharedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Renders every chat template under shared/hf and the fixtures in src/test/resources/chat-templates and compares
 * with the strings Python's jinja2 produced under transformers' settings (expected.json, see README.md there).
 */
class ChatTemplateTest {

    private static final JsonNode EXPECTED = readExpected();
    // The instant generate_expected.py gave strftime_now, as local time.
    private static final Clock FIXED_CLOCK = Clock.fixed(
            LocalDateTime.parse(EXPECTED.get("strftime_now").asText()).atZone(ZoneId.systemDefault()).toInstant(),
            ZoneId.systemDefault());

    @Test
    void expectationsCoverEveryTemplateDirectoryInShared() throws IOException {
        Path hf = SharedFiles.shared().resolve("hf");
        TreeSet<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(hf)) {
            files.filter(p -> p.getFileName().toString().equals("tokenizer_config.json")
                            || p.getFileName().toString().equals("chat_template.jinja"))
                    .forEach(p -> found.add(hf.relativize(p.getParent()).toString()));
        }
        TreeSet<String> expected = new TreeSet<>();
        EXPECTED.get("shared_hf").fieldNames().forEachRemaining(expected::add);
        assertThat(found).as("directories under %s; rerun generate_expected.py if shared/ changed", hf)
                .isEqualTo(expected)
                .contains("_resaved-not-original/Qwen2.5-1.5B-Instruct_transformers-5.1.0");
    }

    @TestFactory
    Stream<DynamicTest> sharedTemplatesRenderExactlyAsJinja2() {
        return casesOf(EXPECTED.get("shared_hf"), SharedFiles.shared().resolve("hf"));
    }

    @TestFactory
    Stream<DynamicTest> fixtureTemplatesRenderExactlyAsJinja2() {
        return casesOf(EXPECTED.get("fixtures"), fixtures());
    }

    @Test
    void whitespaceControlAndLiteralsMatchJinja2InEveryCombination() {
        List<String> mismatches = new ArrayList<>();
        JsonNode snippets = EXPECTED.get("whitespace_snippets");
        for (JsonNode snippet : snippets) {
            String template = snippet.get("template").asText();
            String actual;
            try {
                actual = ChatTemplate.of(template, Map.of(), "snippet").render(List.of(), false);
            } catch (RuntimeException e) {
                actual = "<" + e + ">";
            }
            if (!actual.equals(snippet.get("output").asText())) {
                mismatches.add(json(template) + " -> " + json(actual) + ", Jinja2: " + json(snippet.get("output").asText()));
            }
        }
        assertThat(mismatches).as("of %d snippets", snippets.size()).isEmpty();
    }

    @Test
    void alternationCheckRaisesWithTheTemplatesMessage() {
        ChatTemplate mistral = ChatTemplate.load(fixtures().resolve("mistral-instruct-v0.1"));
        List<ChatMessage> twoUsers = List.of(ChatMessage.user("a"), ChatMessage.user("b"));
        assertThatThrownBy(() -> mistral.render(twoUsers, true))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessage("Conversation roles must alternate user/assistant/user/assistant/...");
        ChatTemplate llama2 = ChatTemplate.load(fixtures().resolve("llama-2-chat"));
        assertThatThrownBy(() -> llama2.render(List.of(ChatMessage.assistant("hi")), false))
                .hasMessage("Conversation roles must alternate user/assistant/user/assistant/...");
        assertThatThrownBy(() -> mistral.render(List.of(ChatMessage.user("a"), ChatMessage.assistant("b"), ChatMessage.assistant("c")), false))
                .hasMessage("Conversation roles must alternate user/assistant/user/assistant/...");
        assertThatThrownBy(() -> mistral.render(List.of(ChatMessage.user("a"), new ChatMessage("tool", "x")), false))
                .hasMessage("Only user and assistant roles are supported!");
    }

    @Test
    void systemMessageOnTemplatesWithoutSystemSupportBehavesAsInTransformers() {
        List<ChatMessage> withSystem = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"));
        // Gemma refuses explicitly; Mistral v0.1 has no system role, so its alternation check fires.
        assertThatThrownBy(() -> ChatTemplate.load(fixtures().resolve("gemma-it")).render(withSystem, true))
                .isInstanceOf(ChatTemplateException.class).hasMessage("System role not supported");
        assertThatThrownBy(() -> ChatTemplate.load(fixtures().resolve("mistral-instruct-v0.1")).render(withSystem, true))
                .hasMessage("Conversation roles must alternate user/assistant/user/assistant/...");
        // Llama-2 folds the system prompt into the first user turn; Zephyr-style TinyLlama gives it its own turn.
        assertThat(ChatTemplate.load(fixtures().resolve("llama-2-chat")).render(withSystem, true))
                .isEqualTo("<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST]");
        assertThat(ChatTemplate.load(SharedFiles.hf("TinyLlama-1.1B-Chat-v1.0")).render(withSystem, true))
                .isEqualTo("<|system|>\nBe brief.</s>\n<|user|>\nHi</s>\n<|assistant|>\n");
    }

    @Test
    void specialTokensAreResolvedFromStringsAndAddedTokenDicts() {
        ChatTemplate llama2 = ChatTemplate.load(fixtures().resolve("llama-2-chat"));
        assertThat(llama2.bosToken()).isEqualTo("<s>");
        assertThat(llama2.eosToken()).isEqualTo("</s>");
        ChatTemplate qwen = ChatTemplate.load(SharedFiles.hf("Qwen2.5-1.5B-Instruct"));
        assertThat(qwen.bosToken()).isNull();
        assertThat(qwen.eosToken()).isEqualTo("<|im_end|>");
        ChatTemplate llama3 = ChatTemplate.load(SharedFiles.hf("Meta-Llama-3-8B-Instruct").resolve("tokenizer_config.json"));
        assertThat(llama3.bosToken()).isEqualTo("<|begin_of_text|>");
        assertThat(llama3.eosToken()).isEqualTo("<|eot_id|>");
        assertThat(ChatTemplate.load(fixtures().resolve("python-isms")).specialTokens())
                .isEqualTo(Map.of("eos_token", "<|end|>", "pad_token", "<|pad|>"));
    }

    @Test
    void chatTemplateJinjaWinsOverTokenizerConfig() {
        ChatTemplate template = ChatTemplate.load(fixtures().resolve("jinja-file-wins"));
        assertThat(template.render(List.of(ChatMessage.user("x")), true)).isEqualTo("<user>x</s>\n<assistant>");
        Path resaved = SharedFiles.hf("_resaved-not-original/Qwen2.5-1.5B-Instruct_transformers-5.1.0");
        assertThat(ChatTemplate.load(resaved).render(List.of(ChatMessage.user("x")), true))
                .isEqualTo(ChatTemplate.load(SharedFiles.hf("Qwen2.5-1.5B-Instruct")).render(List.of(ChatMessage.user("x")), true));
    }

    @Test
    void directoryWithoutTemplateIsAClearError() {
        assertThatThrownBy(() -> ChatTemplate.load(SharedFiles.hf("gpt2")))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("no chat template")
                .hasMessageContaining("gpt2");
        assertThatThrownBy(() -> ChatTemplate.load(SharedFiles.shared().resolve("data")))
                .hasMessageContaining("neither tokenizer_config.json nor chat_template.jinja");
    }

    @Test
    void strftimeNowReadsTheClock() {
        ChatTemplate llama32 = ChatTemplate.load(SharedFiles.hf("Llama-3.2-1B-Instruct"));
        List<ChatMessage> chat = List.of(ChatMessage.user("Hi"));
        assertThat(llama32.withClock(FIXED_CLOCK).render(chat, true)).contains("Today Date: 09 Mar 2025\n");
        String today = java.time.LocalDate.now().format(java.time.format.DateTimeFormatter.ofPattern("dd MMM yyyy", java.util.Locale.US));
        assertThat(llama32.render(chat, true)).contains("Today Date: " + today + "\n");
        // A caller can still pin the date as with apply_chat_template(..., date_string=...).
        assertThat(llama32.render(List.of(Map.of("role", "user", "content", "Hi")), false, Map.of("date_string", "01 Jan 2000")))
                .contains("Today Date: 01 Jan 2000\n");
    }

    @Test
    void toolsCanBePassedAsInApplyChatTemplate() {
        ChatTemplate qwen = ChatTemplate.load(SharedFiles.hf("Qwen2.5-1.5B-Instruct"));
        Map<String, Object> tool = Map.of("type", "function", "function", Map.of("name", "add"));
        String prompt = qwen.render(List.of(Map.of("role", "user", "content", "1+1?")), true, Map.of("tools", List.of(tool)));
        assertThat(prompt).contains("<tools>\n{\"").contains("\"name\": \"add\"").endsWith("<|im_start|>assistant\n");
    }

    @Test
    void syntaxErrorsNameTheTemplate() {
        assertThatThrownBy(() -> ChatTemplate.of("{{ 'unterminated }}", Map.of(), "test.jinja"))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("test.jinja").hasMessageContaining("line 1");
        assertThatThrownBy(() -> ChatTemplate.of("{% if true %}x", Map.of(), "t.jinja").render(List.of(), false))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("t.jinja");
    }

    private static Stream<DynamicTest> casesOf(JsonNode entries, Path root) {
        List<DynamicTest> tests = new ArrayList<>();
        entries.fields().forEachRemaining(entry -> {
            Path dir = root.resolve(entry.getKey());
            JsonNode expected = entry.getValue();
            if (!expected.get("template").asBoolean()) {
                tests.add(DynamicTest.dynamicTest(entry.getKey() + " has no template", () ->
                        assertThatThrownBy(() -> ChatTemplate.load(dir))
                                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("no chat template")));
                return;
            }
            for (JsonNode c : expected.get("cases")) {
                boolean generationPrompt = c.get("add_generation_prompt").asBoolean();
                String name = entry.getKey() + " " + c.get("name").asText() + (generationPrompt ? " +generation prompt" : "");
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    ChatTemplate template = ChatTemplate.load(dir).withClock(FIXED_CLOCK);
                    assertThat(template.specialTokens()).isEqualTo(toStringMap(expected.get("special_tokens")));
                    List<ChatMessage> messages = new ArrayList<>();
                    for (JsonNode m : c.get("messages")) messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
                    if (c.has("error")) {
                        assertThatThrownBy(() -> template.render(messages, generationPrompt))
                                .isInstanceOf(ChatTemplateException.class).hasMessage(c.get("error").asText());
                    } else {
                        assertEquals(c.get("output").asText(), template.render(messages, generationPrompt));
                    }
                }));
            }
        });
        return tests.stream();
    }

    private static String json(String s) {
        return new ObjectMapper().getNodeFactory().textNode(s).toString();
    }

    private static Map<String, String> toStringMap(JsonNode node) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static Path fixtures() {
        try {
            return Path.of(ChatTemplateTest.class.getResource("/chat-templates/fixtures").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readExpected() {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat-templates/expected.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
