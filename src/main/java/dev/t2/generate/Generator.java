package dev.t2.generate;

import dev.t2.model.CausalLanguageModel;
import dev.t2.model.KvCache;
import dev.t2.model.LlamaModel;
import dev.t2.model.SequenceChunk;
import dev.t2.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates continuations for a batch of prompts: one batched prefill, then every step decodes one token
 * for all unfinished sequences in a single forward call (weights streamed once per step for the batch).
 */
public final class Generator {
    private final CausalLanguageModel model;
    private final Tokenizer tokenizer;

    public Generator(CausalLanguageModel model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** Receives decoded text as it is generated: complete UTF-8 characters only, never a stop string. */
    @FunctionalInterface
    public interface TextListener {
        void onText(int sequence, String text);
    }

    public Generation generate(int[] prompt, GenerationOptions options, TextListener listener) {
        return generate(List.of(prompt), options, listener).getFirst();
    }

    public List<Generation> generate(List<int[]> prompts, GenerationOptions options, TextListener listener) {
        List<KvCache> caches = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) caches.add(model.newCache());
        return generate(prompts, caches, options, listener);
    }

    /**
     * Continues sequences whose caches already hold earlier tokens (a chat's previous turns): each prompt is
     * appended to its cache. The caches end up holding prompt + generated tokens (but the last sampled one).
     */
    public List<Generation> generate(List<int[]> prompts, List<KvCache> caches, GenerationOptions options, TextListener listener) {
        int n = prompts.size();
        if (caches.size() != n) throw new IllegalArgumentException(n + " prompts but " + caches.size() + " caches");
        int vocab = model.config().vocabSize();
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (prompts.get(i).length == 0) throw new IllegalArgumentException("prompt " + i + " is empty (add a BOS token)");
            if (prompts.get(i).length + caches.get(i).length() > model.config().maxPositions()) {
                throw new IllegalArgumentException("prompt " + i + " has " + (prompts.get(i).length + caches.get(i).length())
                        + " tokens; the model has " + model.config().maxPositions() + " positions");
            }
            seqs.add(new Sequence(i, prompts.get(i), caches.get(i), new Sampler(options.sampler(), options.seed() + i), options.stopStrings()));
        }
        List<Sequence> active = new ArrayList<>(seqs);
        List<SequenceChunk> chunks = new ArrayList<>();
        for (Sequence s : active) chunks.add(new SequenceChunk(s.cache, s.prompt));
        while (!active.isEmpty() && options.maxNewTokens() > 0) {
            float[] logits = model.forward(chunks, LlamaModel.Logits.LAST_PER_CHUNK);
            List<Sequence> still = new ArrayList<>();
            chunks = new ArrayList<>();
            for (int c = 0; c < active.size(); c++) {
                Sequence s = active.get(c);
                int next = s.sampler.sample(logits, c * vocab, vocab);
                if (s.accept(next, options, listener)) {
                    still.add(s);
                    chunks.add(new SequenceChunk(s.cache, new int[] {next}));
                }
            }
            active = still;
        }
        List<Generation> out = new ArrayList<>();
        for (Sequence s : seqs) out.add(s.result());
        return out;
    }

    private final class Sequence {
        final int index;
        final int[] prompt;
        final KvCache cache;
        final Sampler sampler;
        final TextStream stream;
        Generation.FinishReason reason = Generation.FinishReason.LENGTH;
        int stopToken = -1;

        Sequence(int index, int[] prompt, KvCache cache, Sampler sampler, List<String> stopStrings) {
            this.index = index;
            this.prompt = prompt;
            this.cache = cache;
            this.sampler = sampler;
            this.stream = new TextStream(tokenizer, stopStrings);
        }

        /** Takes the sampled token; returns whether the sequence goes on. */
        boolean accept(int token, GenerationOptions options, TextListener listener) {
            boolean goOn = true;
            if (options.stopTokens().contains(token)) {
                reason = Generation.FinishReason.STOP_TOKEN;
                stopToken = token;
                goOn = false;
            } else if (stream.add(token)) {
                reason = Generation.FinishReason.STOP_STRING;
                goOn = false;
            } else if (stream.size() >= options.maxNewTokens() || cache.length() >= model.config().maxPositions()) {
                goOn = false; // out of budget, or the next token would sit beyond the model's last position
            }
            String text = stream.release(!goOn);
            if (listener != null && !text.isEmpty()) listener.onText(index, text);
            return goOn;
        }

        Generation result() {
            return new Generation(prompt, stream.tokens(), stream.text(), reason, stopToken);
        }
    }
}
