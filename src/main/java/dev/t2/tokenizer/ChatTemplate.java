package dev.t2.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.mode.ExecutionMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;

/**
 * A Hugging Face chat template (Jinja2) rendered with Jinjava the way transformers' {@code apply_chat_template}
 * renders it: variables {@code messages}, {@code add_generation_prompt} and the special tokens
 * ({@code bos_token}, {@code eos_token}, ...), functions {@code raise_exception} and {@code strftime_now},
 * a Python-compatible {@code tojson}, Python str methods, and Jinja2's whitespace rules with
 * trim_blocks and lstrip_blocks. {@code tools} and {@code documents} are not passed unless given.
 */
public final class ChatTemplate {

    /** The special tokens transformers passes to every chat template (its special_tokens_map). */
    static final List<String> SPECIAL_TOKEN_NAMES =
            List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final String origin;
    private final Map<String, String> specialTokens;
    private final Clock clock;
    private final String jinjavaSource;
    private final Jinjava jinjava;

    private ChatTemplate(String source, String origin, Map<String, String> specialTokens, Clock clock) {
        this.source = source;
        this.origin = origin;
        this.specialTokens = Map.copyOf(specialTokens);
        this.clock = clock;
        this.jinjavaSource = rewrite(source, origin);
        this.jinjava = newJinjava();
    }

    /**
     * A template given as text, e.g. from GGUF metadata {@code tokenizer.chat_template}.
     * {@code specialTokens} maps names such as "bos_token" to their strings; {@code origin} names the source in errors.
     */
    public static ChatTemplate of(String template, Map<String, String> specialTokens, String origin) {
        return new ChatTemplate(template, origin, specialTokens, Clock.systemDefaultZone());
    }

    /**
     * The chat template of a model or tokenizer directory (or of the directory holding the given
     * tokenizer_config.json), found as transformers finds it: {@code chat_template.jinja} wins over
     * tokenizer_config.json's "chat_template", which is a string or a list of {name, template} (the one named
     * "default" is used). Special tokens come from tokenizer_config.json, overridden by special_tokens_map.json.
     */
    /** The directory's chat template, or null when it has none (a base model). Malformed templates still fail. */
    public static ChatTemplate find(Path dir) {
        Path configFile = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(dir.resolve("chat_template.jinja"))) return load(dir);
        if (!Files.isRegularFile(configFile)) return null;
        JsonNode template = readJson(configFile).get("chat_template");
        return template == null || template.isNull() ? null : load(dir);
    }

    public static ChatTemplate load(Path modelOrTokenizerDir) {
        Path dir = Files.isRegularFile(modelOrTokenizerDir) ? modelOrTokenizerDir.toAbsolutePath().getParent() : modelOrTokenizerDir;
        Path configFile = dir.resolve("tokenizer_config.json");
        Path jinjaFile = dir.resolve("chat_template.jinja");
        if (!Files.isRegularFile(configFile) && !Files.isRegularFile(jinjaFile)) {
            throw new ChatTemplateException("no chat template: " + dir + " has neither tokenizer_config.json nor chat_template.jinja");
        }
        JsonNode config = Files.isRegularFile(configFile) ? readJson(configFile) : JSON.createObjectNode();
        Map<String, String> tokens = specialTokens(config, configFile);
        Path tokensMapFile = dir.resolve("special_tokens_map.json");
        if (Files.isRegularFile(tokensMapFile)) tokens.putAll(specialTokens(readJson(tokensMapFile), tokensMapFile));
        if (Files.isRegularFile(jinjaFile)) {
            return new ChatTemplate(readString(jinjaFile), jinjaFile.toString(), tokens, Clock.systemDefaultZone());
        }
        return new ChatTemplate(templateFromConfig(config.get("chat_template"), configFile, dir), configFile.toString(),
                tokens, Clock.systemDefaultZone());
    }

    private static String templateFromConfig(JsonNode template, Path configFile, Path dir) {
        if (template == null || template.isNull()) {
            throw new ChatTemplateException("no chat template: " + configFile + " has no \"chat_template\" and " + dir
                    + " has no chat_template.jinja (a base model without a chat format?)");
        }
        if (template.isTextual()) return template.asText();
        if (template.isArray()) {
            List<String> names = new ArrayList<>();
            for (JsonNode named : template) {
                String name = named.path("name").asText(null);
                names.add(name);
                if ("default".equals(name) && named.path("template").isTextual()) return named.get("template").asText();
            }
            throw new ChatTemplateException(configFile + ": \"chat_template\" lists templates " + names + " but none named \"default\"");
        }
        throw new ChatTemplateException(configFile + ": \"chat_template\" must be a string or a list of {name, template}, not " + template.getNodeType());
    }

    /** Special tokens as strings; transformers writes them as strings or AddedToken dicts {"content": ...}. */
    private static Map<String, String> specialTokens(JsonNode config, Path file) {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String name : SPECIAL_TOKEN_NAMES) {
            JsonNode value = config.get(name);
            if (value == null || value.isNull()) continue;
            if (value.isTextual()) tokens.put(name, value.asText());
            else if (value.isObject() && value.path("content").isTextual()) tokens.put(name, value.get("content").asText());
            else throw new ChatTemplateException(file + ": \"" + name + "\" must be a string or {\"content\": ...}, not " + value);
        }
        return tokens;
    }

    /** The same template with {@code strftime_now} reading the given clock (for reproducible prompts and tests). */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(source, origin, specialTokens, clock);
    }

    /** The prompt for {@code messages}; with {@code addGenerationPrompt}, ends with the assistant's turn header. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> maps = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) maps.add(m.toMap());
        return render(maps, addGenerationPrompt, Map.of());
    }

    /**
     * The general form, as {@code apply_chat_template(messages, add_generation_prompt, **kwargs)}: messages are
     * dicts (content may be a string or a list of parts; tool_calls etc. pass through) and {@code extraVariables}
     * become template variables (e.g. "tools", "documents", "date_string"), overriding the defaults.
     */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt, Map<String, ?> extraVariables) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("messages", ChatTemplateFunctions.mutableCopy(messages));
        variables.put("add_generation_prompt", addGenerationPrompt);
        variables.putAll(specialTokens);
        ChatTemplateFunctions.defineGlobals(variables, clock);
        extraVariables.forEach((k, v) -> variables.put(k, ChatTemplateFunctions.mutableCopy(v)));
        RenderResult result;
        try {
            result = jinjava.renderForResult(jinjavaSource, variables);
        } catch (ChatTemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ChatTemplateException("chat template " + origin + " failed: " + e.getMessage(), e);
        }
        for (TemplateError error : result.getErrors()) {
            ChatTemplateException raised = ChatTemplateFunctions.raisedBy(error);
            if (raised != null) throw raised;
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new ChatTemplateException("chat template " + origin + " failed at line " + error.getLineno()
                        + ": " + error.getMessage(), error.getException());
            }
        }
        return result.getOutput();
    }

    /** The Jinja2 source as found (before rewriting for Jinjava). */
    public String source() {
        return source;
    }

    /** The BOS token string passed to the template, or null if the tokenizer has none (e.g. Qwen2). */
    public String bosToken() {
        return specialTokens.get("bos_token");
    }

    /** The EOS token string passed to the template, or null. */
    public String eosToken() {
        return specialTokens.get("eos_token");
    }

    /** All special tokens passed to the template, by name ("bos_token", "pad_token", ...). */
    public Map<String, String> specialTokens() {
        return specialTokens;
    }

    private static String rewrite(String source, String origin) {
        try {
            return Jinja2SourceRewriter.rewrite(source);
        } catch (ChatTemplateException e) {
            throw new ChatTemplateException(origin + ": " + e.getMessage(), e);
        }
    }

    private static Jinjava newJinjava() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                // Whitespace control is already resolved by Jinja2SourceRewriter.
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withElResolver(resolver)
                // Jinjava would otherwise render "{{ ... }}" inside message content as template code.
                .withNestedInterpretationEnabled(false)
                .withExecutionMode(new ExecutionMode() {
                    @Override
                    public void prepareContext(Context context) {
                        // Each render gets a fresh context; {{ }} must print as Python's str() in all of them.
                        context.setExpressionStrategy(new PythonStrOutput());
                    }
                })
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withParseWhitespaceControlStrictly(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
        Jinjava jinjava = new Jinjava(config);
        var globals = jinjava.getGlobalContext();
        globals.registerFilter(new PythonToJsonFilter());
        globals.registerFilter(new PythonStrOutput.StringFilter());
        globals.registerTag(new GenerationTag());
        globals.registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplateFunctions.class,
                "raiseException", Object.class));
        globals.registerFunction(new ELFunctionDefinition("", "strftime_now", ChatTemplateFunctions.class,
                "strftimeNow", String.class));
        return jinjava;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ChatTemplateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ChatTemplateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ChatTemplate[" + origin + "]";
    }
}
