package dev.t2.tokenizer;

import java.util.List;

/** Turns a conversation into the prompt text a chat model was trained on. */
public interface ChatFormat {
    record Message(String role, String content) {}

    String render(List<Message> messages, boolean addGenerationPrompt);
}
