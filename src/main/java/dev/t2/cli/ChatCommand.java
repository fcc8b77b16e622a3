package dev.t2.cli;

import dev.t2.generate.Generation;
import dev.t2.generate.Generator;
import dev.t2.io.LoadedModel;
import dev.t2.io.ModelLoader;
import dev.t2.model.KvCache;
import dev.t2.adapt.Mixture;
import dev.t2.tokenizer.ChatMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code t2 chat}: a conversation through the model's chat template. Each turn re-renders the whole
 * conversation (as transformers does) and reuses the KV cache for the longest unchanged token prefix.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat with a model through its chat template (one line per user turn; --prompt for a single turn).")
final class ChatCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, description = "model directory (HF) or .gguf with a chat template")
    Path model;

    @Option(names = "--system", description = "system message")
    String system;

    @Option(names = {"-p", "--prompt"}, description = "answer this one user message and exit")
    String prompt;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    TwoPassOptions twoPassOptions;

    @Option(names = "--transfer", description = "accept experts trained on another model of the same shapes (warns)")
    boolean transfer;

    @Option(names = "--cache-dir", description = "SVD cache root (default: <model dir>/.t2-cache)")
    Path cacheDir;

    @Override
    public Integer call() throws IOException {
        LoadedModel loaded = ModelLoader.load(model);
        if (loaded.chatTemplate() == null) {
            throw new IllegalArgumentException(model + " has no chat template (a base model?); use 't2 generate'");
        }
        TwoPassSetup twoPass = twoPassOptions.none() ? null : new TwoPassSetup(loaded, twoPassOptions, cacheDir, transfer);
        var model = loaded.model();
        Map<String, Double> currentWeights = Map.of();
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) messages.add(new ChatMessage("system", system));
        KvCache cache = loaded.model().newCache();
        List<Integer> cached = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        boolean interactive = prompt == null;
        var options = sampling.toOptions(loaded.stopTokens());
        while (true) {
            String user = prompt;
            if (interactive) {
                System.err.print("> ");
                user = in.readLine();
                if (user == null) break;
                if (user.isBlank()) continue;
            }
            messages.add(new ChatMessage("user", user));
            if (twoPass != null) {
                long t0 = System.nanoTime();
                Mixture mixture = twoPass.choose(user);
                System.err.printf("[pass 1 %.2f s: %s → %s]%n", (System.nanoTime() - t0) / 1e9, mixture.reason(),
                        mixture.isBase() ? "base model" : "experts " + mixture.weights());
                if (!mixture.weights().equals(currentWeights)) { // other weights: the cached keys and values no longer hold
                    model = twoPass.model(mixture);
                    currentWeights = mixture.weights();
                    cache = model.newCache();
                    cached.clear();
                }
            }
            Generator generator = new Generator(model, loaded.tokenizer());
            int[] tokens = loaded.tokenizer().encode(loaded.chatTemplate().render(messages, true), false);
            int common = 0; // tokens the cache already holds unchanged
            while (common < cached.size() && common < tokens.length - 1 && cached.get(common) == tokens[common]) common++;
            cache.truncate(common);
            Generation g = generator.generate(List.of(java.util.Arrays.copyOfRange(tokens, common, tokens.length)), List.of(cache),
                    options, (i, text) -> {
                        System.out.print(text);
                        System.out.flush();
                    }).getFirst();
            System.out.println();
            cached.clear();
            for (int t : tokens) cached.add(t);
            for (int t : g.tokens()) cached.add(t);
            cached.subList(Math.min(cached.size(), cache.length()), cached.size()).clear();
            messages.add(new ChatMessage("assistant", g.text()));
            if (!interactive) break;
        }
        return 0;
    }
}
