package dev.t2.cli;

import dev.t2.generate.Generation;
import dev.t2.generate.Generator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code t2 compose generate}: continue a prompt with the composed model, streaming to stdout. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate text with a composed model (text to stdout, diagnostics to stderr).")
final class ComposeGenerateCommand implements Callable<Integer> {
    @Mixin
    ComposeModels models;

    @Option(names = "--composition", required = true, description = "composition file from t2 compose train") Path composition;
    @Option(names = {"-p", "--prompt"}, defaultValue = "", description = "prompt text (default: empty, i.e. start from BOS)") String prompt;

    @Mixin
    SamplingOptions sampling;

    @Override
    public Integer call() {
        models.load();
        var model = models.composed(composition);
        var tokenizer = models.anchorModel.tokenizer();
        int[] promptTokens = tokenizer.encode(prompt, true);
        if (promptTokens.length == 0) throw new IllegalArgumentException("the prompt is empty and the tokenizer adds no BOS token; give --prompt");
        long t0 = System.nanoTime();
        System.out.print(prompt);
        Generation g = new Generator(model, tokenizer).generate(promptTokens, sampling.toOptions(models.anchorModel.stopTokens()), (i, text) -> {
            System.out.print(text);
            System.out.flush();
        });
        System.out.println();
        double secs = (System.nanoTime() - t0) / 1e9;
        System.err.printf("%d prompt + %d new tokens in %.2f s (%.1f tokens/s), finished by %s%n", promptTokens.length, g.tokens().length, secs,
                g.tokens().length / secs, g.finishReason());
        return 0;
    }
}
