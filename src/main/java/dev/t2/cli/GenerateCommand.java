package dev.t2.cli;

import dev.t2.generate.Generation;
import dev.t2.generate.Generator;
import dev.t2.io.LoadedModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code t2 generate}: continue a prompt, streaming the text to stdout. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate text from a prompt (text to stdout, diagnostics to stderr).")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = {"-p", "--prompt"}, description = "prompt text (default: empty, i.e. start from BOS)", defaultValue = "")
    String prompt;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    TwoPassOptions twoPass;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        LoadedModel loaded = modelOptions.load();
        System.err.printf("loaded %s (%s) in %.2f s%n", loaded.source(), loaded.format(), (System.nanoTime() - t0) / 1e9);
        int[] promptTokens = loaded.tokenizer().encode(prompt, true);
        if (promptTokens.length == 0) throw new IllegalArgumentException("the prompt is empty and the tokenizer adds no BOS token; give --prompt");
        if ((modelOptions.expert != null || modelOptions.lora != null) && !twoPass.none()) throw new IllegalArgumentException("give either --expert/--lora or --strategy, not both");
        var model = twoPass.none() ? modelOptions.adapted(loaded)
                : TwoPassSetup.passTwoModel(loaded, twoPass, modelOptions.cacheDir, modelOptions.transfer, prompt);
        Generator generator = new Generator(model, loaded.tokenizer());
        long t1 = System.nanoTime();
        System.out.print(prompt);
        Generation g = generator.generate(promptTokens, sampling.toOptions(loaded.stopTokens()), (i, text) -> {
            System.out.print(text);
            System.out.flush();
        });
        System.out.println();
        double secs = (System.nanoTime() - t1) / 1e9;
        System.err.printf("%d prompt + %d new tokens in %.2f s (%.1f tokens/s), finished by %s%n", promptTokens.length,
                g.tokens().length, secs, g.tokens().length / secs, g.finishReason());
        return 0;
    }
}
