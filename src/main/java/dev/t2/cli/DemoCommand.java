package dev.t2.cli;

import dev.t2.generate.GenerationOptions;
import dev.t2.generate.Generator;
import dev.t2.io.LoadedModel;
import dev.t2.io.ModelLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code t2 demo}: runs on the model embedded in the jar, so it works on a fresh machine with nothing else. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Generate a story greedily with the embedded stories260K model.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() throws IOException {
        Path dir = extractEmbeddedModel();
        LoadedModel loaded = ModelLoader.load(dir.resolve("stories260K.bin"));
        System.err.println("stories260K (llama2.c, 260K parameters, embedded): greedy generation from BOS");
        var options = GenerationOptions.greedy(256, loaded.stopTokens());
        long t0 = System.nanoTime();
        var g = new Generator(loaded.model(), loaded.tokenizer()).generate(new int[] {loaded.tokenizer().bosId()}, options,
                (i, text) -> {
                    System.out.print(text);
                    System.out.flush();
                });
        System.out.println();
        System.err.printf("%d tokens in %.2f s%n", g.tokens().length, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    static Path extractEmbeddedModel() throws IOException {
        Path dir = Files.createTempDirectory("t2-stories260K");
        dir.toFile().deleteOnExit();
        for (String name : new String[] {"stories260K.bin", "tok512.bin"}) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("/models/stories260K/" + name)) {
                if (in == null) throw new IOException("embedded model file " + name + " is missing from the jar");
                Path target = dir.resolve(name);
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                target.toFile().deleteOnExit();
            }
        }
        return dir;
    }
}
