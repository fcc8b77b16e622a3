package dev.t2.adapt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.generate.GenerationOptions;
import dev.t2.generate.Generator;
import dev.t2.io.LoadedModel;
import dev.t2.io.ModelLoader;
import dev.t2.model.LlamaModel;
import dev.t2.svf.AdaptedWeights;
import dev.t2.svf.SvdCache;
import dev.t2.svf.SvfTargets;
import dev.t2.testing.SharedFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expert libraries, mixtures, pass-2 weights per request, and the prompt dispatcher's fallback, on stories260K. */
class TwoPassTest {
    @TempDir
    Path tmp;

    private ExpertLibrary library(LoadedModel m) {
        return dev.t2.testing.TestExperts.write(m, tmp);
    }

    @Test
    void oneHotMixturesEqualTheExpertAndConcurrentRequestsMatchSequentialOnes() throws Exception {
        LoadedModel m = ModelLoader.load(SharedFiles.shared().resolve("models/stories260K"));
        ExpertLibrary lib = library(m);
        assertThat(lib.entries()).extracting(ExpertLibrary.Entry::domain).containsExactly("math", "code");
        var svds = SvdCache.loadOrCompute(m.weights(), SvfTargets.MLP.names(m.config().numLayers()), tmp.resolve("cache"));
        AdaptedModels models = new AdaptedModels(m.config(), m.weights(), svds, lib);
        int[] prompt = m.tokenizer().encode("Once upon a time", true);
        var options = GenerationOptions.greedy(40, m.stopTokens());

        LlamaModel direct = new LlamaModel(m.config(), AdaptedWeights.apply(m.weights(), svds, lib.byName("math-expert").expert().scales()));
        int[] viaMixture = new Generator(models.model(new Mixture(Map.of("math-expert", 1.0), "test")), m.tokenizer()).generate(prompt, options, null).tokens();
        assertThat(viaMixture).containsExactly(new Generator(direct, m.tokenizer()).generate(prompt, options, null).tokens());

        List<Mixture> mixtures = List.of(Mixture.base("base"), new Mixture(Map.of("math-expert", 1.0), "m"),
                new Mixture(Map.of("code-expert", 1.0), "c"), new Mixture(Map.of("math-expert", 0.5, "code-expert", 0.5), "mix"));
        List<int[]> sequential = mixtures.stream().map(x -> new Generator(models.model(x), m.tokenizer()).generate(prompt, options, null).tokens()).toList();
        assertThat(sequential.get(1)).isNotEqualTo(sequential.get(0)); // the experts do change the answer
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> futures = mixtures.stream().map(x -> pool.submit((Callable<int[]>) () ->
                    new Generator(models.model(x), m.tokenizer()).generate(prompt, options, null).tokens())).toList();
            for (int i = 0; i < mixtures.size(); i++) assertThat(futures.get(i).get()).as(mixtures.get(i).reason()).containsExactly(sequential.get(i));
        } finally {
            pool.shutdownNow();
        }
        assertThat(ExpertLibrary.statistics(lib.byName("code-expert").expert())).hasSize(15);
    }

    @Test
    void aModelThatCannotClassifyFallsBackToTheBase() throws Exception {
        LoadedModel m = ModelLoader.load(SharedFiles.shared().resolve("models/stories260K"));
        var dispatcher = new PromptDispatcher(m.model(), m.tokenizer(), null, m.stopTokens(), library(m), 32);
        // stories260K's 512 positions cannot hold the reference's classification prompt
        Mixture tooLong = dispatcher.choose("What is 12 + 30?");
        assertThat(tooLong.isBase()).isTrue();
        assertThat(tooLong.reason()).contains("does not fit");
        // the same model with room for the prompt answers with a story, not a \boxed{} label: base again
        Path wide = tmp.resolve("wide");
        dev.t2.io.HuggingFaceExporter.export(m, wide, null);
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(wide.resolve("config.json").toFile());
        config.put("max_position_embeddings", 2048);
        java.nio.file.Files.writeString(wide.resolve("config.json"), config.toString());
        LoadedModel w = ModelLoader.load(wide);
        Mixture garbage = new PromptDispatcher(w.model(), w.tokenizer(), null, w.stopTokens(), library(m), 32).choose("What is 12 + 30?");
        assertThat(garbage.isBase()).isTrue();
        assertThat(garbage.reason()).startsWith("classified as other");
    }

    @Test
    void batchedPassOneChoosesWhatOneAtATimeChooses() {
        Path base = Path.of("src/main/resources/models/t2-tiny-base");
        LoadedModel m = ModelLoader.load(base);
        var dispatcher = new PromptDispatcher(m.model(), m.tokenizer(), m.chatTemplate(), m.stopTokens(), ExpertLibrary.load(base.resolve("experts")), 64);
        List<String> questions = new java.util.ArrayList<>();
        for (String task : List.of("synth-math", "synth-code", "synth-reasoning", "synth-math-hard")) {
            for (var item : dev.t2.tasks.SyntheticTasks.byName(task).items(dev.t2.tasks.Split.TEST).subList(0, 2)) questions.add(item.user());
        }
        questions.add(2, "x ".repeat(m.config().maxPositions())); // a prompt that cannot fit: base, without generating
        List<Mixture> batched = dispatcher.chooseAll(questions, 3);
        assertThat(batched).hasSize(questions.size());
        for (int i = 0; i < questions.size(); i++) {
            Mixture single = dispatcher.choose(questions.get(i));
            assertThat(batched.get(i).weights()).as(questions.get(i)).isEqualTo(single.weights());
            assertThat(batched.get(i).reason()).isEqualTo(single.reason());
        }
        assertThat(batched.getFirst().weights()).isEqualTo(Map.of("math", 1.0)); // the shipped base classifies its own domains
        assertThat(batched.get(2).reason()).contains("does not fit");
    }
}
