package dev.t2.adapt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.io.LoadedModel;
import dev.t2.io.ModelLoader;
import dev.t2.svf.SvdCache;
import dev.t2.svf.SvfTargets;
import dev.t2.tasks.PromptFormat;
import dev.t2.tasks.Split;
import dev.t2.tasks.Task;
import dev.t2.tasks.Tasks;
import dev.t2.testing.SharedFiles;
import dev.t2.testing.TestExperts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Few-shot CEM over expert mixtures on stories260K: one-hot α reproduces an expert, searches are reproducible and logged. */
class FewShotSearchTest {
    @TempDir
    Path tmp;

    @Test
    void oneHotAlphaIsTheExpertAndTheSearchIsReproducibleAndLogged() throws Exception {
        LoadedModel m = ModelLoader.load(SharedFiles.shared().resolve("models/stories260K"));
        ExpertLibrary lib = TestExperts.write(m, tmp);
        var experts = lib.entries().stream().map(ExpertLibrary.Entry::expert).toList();
        var svds = SvdCache.loadOrCompute(m.weights(), SvfTargets.MLP.names(m.config().numLayers()), tmp.resolve("cache"));
        FewShotSearch search = new FewShotSearch(m.config(), m.weights(), svds, experts);
        assertThat(search.dimensions()).isEqualTo(2 * 15);

        double[] oneHot = new double[search.dimensions()];
        Arrays.fill(oneHot, 0, 15, 1.0); // α = 1 for the first expert on every matrix, 0 for the second
        search.scales(oneHot).forEach((name, z) -> assertThat(z).containsExactly(experts.getFirst().scales().get(name)));

        Path taskFile = tmp.resolve("shots.jsonl");
        Files.writeString(taskFile, """
                {"name": "colours", "max_new_tokens": 3, "checker": "exact"}
                {"prompt": "Lily had a red ball. The ball was", "answer": "red"}
                {"prompt": "Tom saw a big dog. The dog was", "answer": "big"}
                {"prompt": "The sun is hot. The sun is", "answer": "hot"}
                """);
        Task task = Tasks.fromJsonl(taskFile);
        var shots = task.items(Split.TEST);
        var format = new PromptFormat(m.tokenizer(), null);
        var cem = new CrossEntropyMethod.Config(4, 2, 0.5, 2, 3);
        var first = search.search(task, shots, format, m.stopTokens(), 3, cem, tmp.resolve("cem.jsonl"));
        var second = search.search(task, shots, format, m.stopTokens(), 3, cem, null);
        assertThat(second.alpha()).containsExactly(first.alpha());
        assertThat(first.score().primary()).isBetween(0.0, 1.0);
        assertThat(first.score().tieBreak()).isNegative(); // a mean log-likelihood
        List<String> lines = Files.readAllLines(tmp.resolve("cem.jsonl"));
        assertThat(lines).hasSize(2);
        assertThat(lines.getFirst()).contains("\"generation\":0").contains("accuracies");
    }
}
