package dev.t2.tasks;

import dev.t2.tokenizer.ChatTemplate;
import dev.t2.tokenizer.Tokenizer;

/**
 * Turns a task item into prompt tokens for a given model: through its chat template with the generation
 * prompt and the item's prefill, as the reference does; for a base model without a template, the
 * instruction/response layout the reference's system message and stop strings come from.
 */
public record PromptFormat(Tokenizer tokenizer, ChatTemplate template) {

    public String text(TaskItem item) {
        if (template != null) return template.render(item.messages(), true) + item.prefill();
        StringBuilder s = new StringBuilder();
        if (!item.system().isEmpty()) s.append(item.system()).append("\n\n");
        return s.append("### Instruction:\n").append(item.user()).append("\n\n### Response:\n").append(item.prefill()).toString();
    }

    /** Token ids; the chat template writes its own BOS, a plain prompt gets the tokenizer's. */
    public int[] tokens(TaskItem item) {
        return tokens(text(item));
    }

    /** Token ids of an already rendered prompt. */
    public int[] tokens(String renderedPrompt) {
        return tokenizer.encode(renderedPrompt, template == null);
    }
}
