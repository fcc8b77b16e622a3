package dev.t2.tasks;

import dev.t2.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One question of a task, as the model sees it and as the checker grades it.
 *
 * @param id      stable identifier, e.g. {@code gsm8k/train/12} or {@code HumanEval/0}
 * @param system  the system message ("" for none)
 * @param user    the user message
 * @param prefill text the assistant turn starts with ("" for none); the completion continues it
 * @param answer  the reference answer (a number, a letter, a LaTeX expression, a label, or the canonical code)
 * @param input    what the checker needs beyond the answer
 * @param solution a worked reference solution to fine-tune on (next-token baseline); the answer when the data has none
 */
public record TaskItem(String id, String system, String user, String prefill, String answer, CheckerInput input, String solution) {

    public TaskItem(String id, String system, String user, String prefill, String answer, CheckerInput input) {
        this(id, system, user, prefill, answer, input, answer);
    }

    public TaskItem {
        Objects.requireNonNull(solution, "solution");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(prefill, "prefill");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(input, "input");
    }

    /** System (when present) and user turns, ready for a chat template; the prefill goes after the generation prompt. */
    public List<ChatMessage> messages() {
        List<ChatMessage> messages = new ArrayList<>(2);
        if (!system.isEmpty()) messages.add(ChatMessage.system(system));
        messages.add(ChatMessage.user(user));
        return List.copyOf(messages);
    }

    public boolean hasPrefill() {
        return !prefill.isEmpty();
    }
}
