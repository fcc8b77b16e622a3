package dev.t2.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.adapt.ExpertLibrary;
import dev.t2.io.ModelLoader;
import dev.t2.io.SafetensorsFile;
import dev.t2.svf.AdaptedWeights;
import dev.t2.svf.ExpertFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The shipped base model is what scripts/train-base.sh's recipe makes, and the shipped experts belong to it. */
class ShippedModelTest {
    static final Path SHIPPED = Path.of("src/main/resources/models/t2-tiny-base");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theShippedWeightsWereTrainedWithTheScriptsRecipe() throws Exception {
        String script = Files.readString(Path.of("scripts/train-base.sh"));
        Matcher m = Pattern.compile("(?m)^RECIPE=\"([^\"]+)\"").matcher(script);
        assertThat(m.find()).as("scripts/train-base.sh defines RECIPE").isTrue();
        PretrainCommand fromScript = parse(("--config x --tokenizer x -o x " + m.group(1)).split(" "));
        String recorded = SafetensorsFile.open(SHIPPED.resolve("model.safetensors")).metadata().get("recipe");
        assertThat(recorded).as("model.safetensors records its pretrain arguments").isNotNull();
        String[] args = recorded.split(" ");
        assertThat(args[0]).isEqualTo("pretrain");
        PretrainCommand shipped = parse(java.util.Arrays.copyOfRange(args, 1, args.length));
        assertThat(shipped.config.getFileName().toString()).isEqualTo("recipe-config.json");
        assertThat(List.of(shipped.steps, shipped.batch, shipped.lr, shipped.minLr, shipped.warmup, shipped.weightDecay, shipped.clip,
                shipped.initStd, shipped.seed, shipped.lossOn, shipped.tasks)).isEqualTo(List.of(fromScript.steps, fromScript.batch, fromScript.lr,
                fromScript.minLr, fromScript.warmup, fromScript.weightDecay, fromScript.clip, fromScript.initStd, fromScript.seed, fromScript.lossOn,
                fromScript.tasks));
        // the architecture is the recipe's, and every tensor has the shape it implies
        JsonNode recipe = JSON.readTree(SHIPPED.resolve("recipe-config.json").toFile()), config = JSON.readTree(SHIPPED.resolve("config.json").toFile());
        for (String key : List.of("architectures", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
                "num_key_value_heads", "head_dim", "vocab_size", "max_position_embeddings", "rope_theta", "tie_word_embeddings")) {
            assertThat(config.get(key)).as(key).isEqualTo(recipe.get(key));
        }
        var loaded = ModelLoader.load(SHIPPED);
        assertThat(loaded.weights().parameterCount()).isBetween(1_000_000L, 5_000_000L);
        assertThat(Files.size(SHIPPED.resolve("model.safetensors"))).isLessThan(10_000_000L);
        assertThat(Files.readAllLines(SHIPPED.resolve("pretrain-metrics.jsonl"))).hasSize(shipped.steps);
    }

    @Test
    void theShippedTokenizerIsStories260KsConvertedAndTheExpertsBelongToTheBase() throws Exception {
        CliTest.Run r = CliTest.run("convert", "-m", "src/main/resources/models/stories260K/stories260K.bin", "-o", tmp.resolve("tok").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(SHIPPED.resolve("tokenizer.json"))).isEqualTo(Files.readString(tmp.resolve("tok/tokenizer.json")));
        var loaded = ModelLoader.load(SHIPPED);
        ExpertLibrary library = ExpertLibrary.load(SHIPPED.resolve("experts"));
        assertThat(library.entries()).extracting(ExpertLibrary.Entry::domain).containsExactlyInAnyOrder("math", "code", "reasoning");
        for (var e : library.entries()) AdaptedWeights.check(e.expert(), loaded.config(), loaded.weights(), false, System.err);
        AdaptedWeights.check(ExpertFile.read(SHIPPED.resolve("experts/classifier.safetensors")), loaded.config(), loaded.weights(), false, System.err);
        for (String f : DemoCommand.SHIPPED_FILES) assertThat(SHIPPED.resolve(f)).as("the demo extracts " + f).isRegularFile();
    }

    @Test
    void theDemoRunsThePipelineOnTheShippedModel() {
        CliTest.Run r = CliTest.run("demo", "--items", "3", "--work", tmp.resolve("work").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("== 1. SVD", "18 matrices decomposed", "== 2. SVF experts", "== 3. Two passes", "== 4. Accuracy");
        for (String task : List.of("synth-math-hard", "synth-code-vars", "synth-reasoning-4")) {
            assertThat(r.out()).containsPattern("(?m)^" + task + " +\\d+\\.\\d% +\\d+\\.\\d%$");
        }
        assertThat(r.out()).contains("pass 1, classification expert:").contains("adapted:");
    }

    private static PretrainCommand parse(String... args) {
        PretrainCommand c = new PretrainCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }
}
