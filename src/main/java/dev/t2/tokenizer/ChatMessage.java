package dev.t2.tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One turn of a conversation as Hugging Face chat templates see it: {"role": ..., "content": ...}. */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }

    /** The dict a template receives; mutable because templates may build on it (as Python dicts allow). */
    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("role", role);
        map.put("content", content);
        return map;
    }
}
