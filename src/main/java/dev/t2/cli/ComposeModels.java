package dev.t2.cli;

import dev.t2.calm.ComposedModel;
import dev.t2.calm.CompositionFile;
import dev.t2.io.LoadedModel;
import dev.t2.io.ModelLoader;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/** The two models of a composition, the flags every {@code t2 compose} command shares. */
final class ComposeModels {
    @Option(names = "--anchor", required = true, description = "the anchor model m_B (its outputs are the composed model's)")
    Path anchor;

    @Option(names = "--augment", required = true, description = "the augmenting model m_A (read through cross-attention)")
    Path augment;

    LoadedModel anchorModel, augmentModel;

    /** Loads both and refuses a pair that does not read the same token ids. */
    void load() {
        anchorModel = ModelLoader.load(anchor);
        augmentModel = ModelLoader.load(augment);
        String probe = "The key k7 holds 42; 3 + 4 × 5 = 23.";
        int[] a = anchorModel.tokenizer().encode(probe, false), b = augmentModel.tokenizer().encode(probe, false);
        if (anchorModel.tokenizer().vocabSize() != augmentModel.tokenizer().vocabSize() || !Arrays.equals(a, b)) {
            throw new IllegalArgumentException("the anchor and the augmenting model must share a tokenizer (both read the same token ids); "
                    + anchor + " has " + anchorModel.tokenizer().vocabSize() + " tokens, " + augment + " has " + augmentModel.tokenizer().vocabSize());
        }
        System.err.printf("anchor %s (%s, %d layers, width %d); augmenting %s (%s, %d layers, width %d)%n", anchor,
                anchorModel.config().architecture(), anchorModel.config().numLayers(), anchorModel.config().hiddenSize(), augment,
                augmentModel.config().architecture(), augmentModel.config().numLayers(), augmentModel.config().hiddenSize());
    }

    /** The composed model with a trained composition file (checked against both models). */
    ComposedModel composed(Path compositionFile) {
        var loaded = CompositionFile.read(compositionFile, augmentModel.config(), augmentModel.weights(), anchorModel.config(), anchorModel.weights());
        System.err.printf("composition %s: pairs %s, %,d parameters%n", compositionFile, loaded.composition().config().pairs(),
                loaded.composition().parameterCount());
        return new ComposedModel(anchorModel.model(), augmentModel.model(), loaded.composition());
    }
}
