package dev.t2.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `t2 mesa train` then `t2 mesa analyse` as a user runs them, and one clear line for bad input. */
class MesaCommandTest {
    @Test
    void trainThenAnalyse(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        CliTest.Run train = CliTest.run("mesa", "train", "--model", "linear-1", "--steps", "3", "--batch", "32", "--threads", "1", "-o", out.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("final training loss");
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).hasSize(3);
        CliTest.Run analyse = CliTest.run("mesa", "analyse", "-i", out.toString(), "--eval-batch", "64", "--threads", "1");
        assertThat(analyse.exitCode()).as(analyse.err()).isZero();
        assertThat(analyse.out()).contains("model linear-1", "one GD step", "effective learning rate", "probe R² for next state", "layer 1 ");
    }

    @Test
    void badInputGivesOneErrorLine(@TempDir Path tmp) {
        CliTest.Run unknown = CliTest.run("mesa", "train", "--model", "mlp", "-o", tmp.toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err().strip()).isEqualTo("error: unknown model 'mlp'; known: linear-1, linear-2, linear-4, mesa-1, softmax-linear-raw");
        CliTest.Run layers = CliTest.run("mesa", "train", "--layers", "linear,mlp", "-o", tmp.toString());
        assertThat(layers.err()).contains("unknown layer kind 'mlp'");
        CliTest.Run missing = CliTest.run("mesa", "analyse", "-i", tmp.resolve("none").toString());
        assertThat(missing.err()).contains("no checkpoint.safetensors");
    }
}
