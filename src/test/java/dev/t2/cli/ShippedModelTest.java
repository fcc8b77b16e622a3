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

/** The shipped base model is what scripts/train-base.sh's two phases make, and the shipped experts belong to it. */
class ShippedModelTest {
    static final Path SHIPPED = Path.of("src/main/resources/models/t2-tiny-base");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theShippedWeightsWereTrainedWithTheScriptsTwoPhases() throws Exception {
        var metadata = SafetensorsFile.open(SHIPPED.resolve("model.safetensors")).metadata();
        PretrainCommand shipped = recordedPhase(metadata.get("recipe"), "RECIPE");
        assertThat(shipped.initFrom).as("phase 2 starts from phase 1's model").isNotNull();
        assertThat(shipped.initFrom.toString()).endsWith("lookup/model");
        PretrainCommand lookup = recordedPhase(metadata.get("init_recipe"), "LOOKUP");
        assertThat(lookup.initFrom).as("phase 1 starts from random weights").isNull();
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

    /** The options a model recorded for one phase are those of the script's variable of that name (paths aside). */
    private static PretrainCommand recordedPhase(String recorded, String variable) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + variable + "=\"([^\"]+)\"").matcher(Files.readString(Path.of("scripts/train-base.sh")));
        assertThat(m.find()).as("scripts/train-base.sh defines " + variable).isTrue();
        PretrainCommand fromScript = parse(("--config x --tokenizer x -o x " + m.group(1)).split(" "));
        assertThat(recorded).as("model.safetensors records the pretrain arguments of " + variable).isNotNull();
        String[] args = recorded.split(" <- ")[0].split(" ");
        assertThat(args[0]).isEqualTo("pretrain");
        PretrainCommand shipped = parse(java.util.Arrays.copyOfRange(args, 1, args.length));
        assertThat(shipped.config.getFileName().toString()).isEqualTo("recipe-config.json");
        assertThat(List.of(shipped.steps, String.valueOf(shipped.stopAfter), shipped.batch, shipped.lr, shipped.minLr, shipped.warmup,
                shipped.weightDecay, shipped.clip, shipped.initStd, shipped.seed, shipped.lossOn, shipped.tasks)).as(variable)
                .isEqualTo(List.of(fromScript.steps, String.valueOf(fromScript.stopAfter), fromScript.batch, fromScript.lr, fromScript.minLr,
                        fromScript.warmup, fromScript.weightDecay, fromScript.clip, fromScript.initStd, fromScript.seed, fromScript.lossOn,
                        fromScript.tasks));
        return shipped;
    }

    private static PretrainCommand parse(String... args) {
        PretrainCommand c = new PretrainCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }
}
