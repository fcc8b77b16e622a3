package dev.t2.adapt;

import dev.t2.generate.Generation;
import dev.t2.generate.GenerationOptions;
import dev.t2.generate.Generator;
import dev.t2.model.KvCache;
import dev.t2.model.LlamaModel;
import dev.t2.model.SequenceChunk;
import dev.t2.tasks.Prompts;
import dev.t2.tokenizer.ChatMessage;
import dev.t2.tokenizer.ChatTemplate;
import dev.t2.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pass 1 of the prompt-based and classification-expert strategies: the model (the base, or the base adapted
 * with the classification expert) answers the reference's classification prompt greedily; the first \boxed{}
 * label picks the library's expert of that domain, and "other" or anything unreadable picks the base model.
 */
public final class PromptDispatcher {
    private final LlamaModel classifier;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final Set<Integer> stopTokens;
    private final ExpertLibrary library;
    private final int maxTokens;

    public PromptDispatcher(LlamaModel classifier, Tokenizer tokenizer, ChatTemplate template, Set<Integer> stopTokens,
                            ExpertLibrary library, int maxTokens) {
        this.classifier = classifier;
        this.tokenizer = tokenizer;
        this.template = template;
        this.stopTokens = stopTokens;
        this.library = library;
        this.maxTokens = maxTokens;
    }

    /** The classification prompt's tokens for a question. */
    int[] prompt(String question) {
        List<ChatMessage> messages = List.of(ChatMessage.system(Prompts.CLASSIFICATION_SYSTEM), ChatMessage.user(question));
        return template != null ? tokenizer.encode(template.render(messages, true), false)
                : tokenizer.encode(Prompts.CLASSIFICATION_SYSTEM + "\n\n### Instruction:\n" + question + "\n\n### Response:\n", true);
    }

    public Mixture choose(String question) {
        return chooseAll(List.of(question), 1).getFirst();
    }

    /**
     * Pass 1 for many questions: the classification prompts are answered {@code batch} at a time (greedy, so the same
     * answers as one at a time; one weight stream per decoding step for the whole batch, as pass 2 is batched).
     */
    public List<Mixture> chooseAll(List<String> questions, int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, not " + batch);
        Mixture[] chosen = new Mixture[questions.size()];
        List<Integer> pending = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            int[] prompt = prompt(questions.get(i));
            if (prompt.length >= classifier.config().maxPositions()) {
                chosen[i] = Mixture.base("the classification prompt (" + prompt.length + " tokens) does not fit the model's "
                        + classifier.config().maxPositions() + " positions");
            } else {
                pending.add(i);
                prompts.add(prompt);
            }
        }
        Generator generator = new Generator(classifier, tokenizer);
        for (int from = 0; from < prompts.size(); from += batch) {
            int to = Math.min(prompts.size(), from + batch);
            List<Generation> answers = answerSharingThePrefix(generator, prompts.subList(from, to));
            for (int k = from; k < to; k++) chosen[pending.get(k)] = fromAnswer(answers.get(k - from).text());
        }
        return List.of(chosen);
    }

    /**
     * Every classification prompt starts with the same long system message: it is prefilled once and each sequence
     * continues a copy of that cache (for the reference's prompt this is most of pass 1's work).
     */
    private List<Generation> answerSharingThePrefix(Generator generator, List<int[]> prompts) {
        GenerationOptions options = GenerationOptions.greedy(maxTokens, stopTokens);
        int shared = prompts.size() < 2 ? 0 : commonPrefix(prompts) - 1; // each sequence keeps at least one token of its own
        if (shared < 1) return generator.generate(prompts, options, null);
        KvCache prefix = classifier.newCache();
        classifier.forward(List.of(new SequenceChunk(prefix, Arrays.copyOf(prompts.getFirst(), shared))), LlamaModel.Logits.NONE);
        List<KvCache> caches = new ArrayList<>();
        List<int[]> rest = new ArrayList<>();
        for (int[] p : prompts) {
            caches.add(prefix.copy());
            rest.add(Arrays.copyOfRange(p, shared, p.length));
        }
        return generator.generate(rest, caches, options, null);
    }

    static int commonPrefix(List<int[]> prompts) {
        int n = prompts.getFirst().length;
        for (int[] p : prompts) {
            int i = 0;
            while (i < Math.min(n, p.length) && p[i] == prompts.getFirst()[i]) i++;
            n = i;
        }
        return n;
    }

    private Mixture fromAnswer(String answer) {
        DomainLabel label = DomainLabel.parse(answer);
        if (label == DomainLabel.OTHER) return Mixture.base("classified as other (answer: " + abbreviate(answer) + ")");
        ExpertLibrary.Entry expert = library.byDomain(label.label());
        if (expert == null) return Mixture.base("classified as " + label.label() + ", but the library has no expert for it");
        return new Mixture(Map.of(expert.name(), 1.0), "classified as " + label.label());
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ').strip();
        return one.length() <= 60 ? '"' + one + '"' : '"' + one.substring(0, 57) + "...\"";
    }
}
