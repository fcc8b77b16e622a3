package dev.t2.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2.testing.SharedFiles;
import dev.t2.testing.TinyModels;
import dev.t2.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code t2 compose train|eval|generate} on a tiny real pair: a TinyLlama-architecture anchor and a deeper, wider Qwen2 augmenting
 * model, both reading the real Llama tokenizer.
 */
class ComposeCliTest {
    static final String LLAMA = "TinyLlama-1.1B-Chat-v1.0", TOKENIZER = "llama-tokenizer_hf-internal-testing";

    static Path model(Path dir, String configFrom, int layers, int hidden, long seed) throws IOException {
        ObjectNode c = TinyModels.shrink(SharedFiles.hf(configFrom).resolve("config.json"), 32000);
        c.put("num_hidden_layers", layers).put("hidden_size", hidden);
        TinyModels.writeHuggingFace(dir, c, DType.BF16, seed);
        for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) Files.copy(SharedFiles.hf(TOKENIZER).resolve(f), dir.resolve(f));
        return dir;
    }

    @Test
    void trainEvalAndGenerateOnATinyRealPair(@TempDir Path tmp) throws Exception {
        Path anchor = model(tmp.resolve("anchor"), LLAMA, 2, 64, 21);
        Path augment = model(tmp.resolve("augment"), "_resaved-not-original/Qwen2.5-0.5B-Instruct", 4, 96, 22);
        Path task = tmp.resolve("colors.jsonl");
        StringBuilder lines = new StringBuilder("{\"name\": \"colors\", \"max_new_tokens\": 3, \"checker\": \"exact\"}\n");
        String[] colors = {"red", "blue", "green", "big"};
        for (int i = 0; i < 10; i++) {
            lines.append("{\"prompt\": \"The ball is ").append(colors[i % 4]).append(". Its colour?\", \"answer\": \"").append(colors[i % 4])
                    .append("\", \"split\": \"").append(i < 8 ? "train" : "test").append("\"}\n");
        }
        Files.writeString(task, lines.toString());
        Path out = tmp.resolve("run");
        String[] models = {"--anchor", anchor.toString(), "--augment", augment.toString()};
        CliTest.Run train = CliTest.run(concat(new String[] {"compose", "train", "--task", task.toString(), "-o", out.toString(), "--steps", "2",
                "--batch", "4", "--warmup", "1", "--pair", "1:0,3:0"}, models));
        assertThat(train.exitCode()).as(train.err()).isZero();
        // n·(D_A·D_B + 4·D_B²) with n = 2, D_A = 96, D_B = 64
        assertThat(train.err()).contains("pairs [1:0, 3:0]").contains("45,056 parameters (n·(D_A·D_B + 4·D_B²) = 45,056)");
        assertThat(out.resolve("composition.safetensors")).exists();
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).hasSize(2);
        CliTest.Run again = CliTest.run(concat(new String[] {"compose", "train", "--task", task.toString(), "-o", out.toString()}, models));
        assertThat(again.err()).contains("--resume");
        CliTest.Run resumed = CliTest.run(concat(new String[] {"compose", "train", "--task", task.toString(), "-o", out.toString(), "--steps", "3",
                "--batch", "4", "--warmup", "1", "--pair", "1:0,3:0", "--resume"}, models));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).hasSize(3);

        Path raced = tmp.resolve("raced");
        CliTest.Run starts = CliTest.run(concat(new String[] {"compose", "train", "--task", task.toString(), "-o", raced.toString(), "--steps", "8",
                "--batch", "4", "--warmup", "1", "--starts", "2"}, models));
        assertThat(starts.exitCode()).as(starts.err()).isZero();
        assertThat(starts.err()).containsPattern("start [12] of 2 had the lowest training loss after 1 steps");
        assertThat(raced.resolve("composition.safetensors")).exists();
        assertThat(raced.resolve("start-1/metrics.jsonl")).exists();
        CliTest.Run racedAgain = CliTest.run(concat(new String[] {"compose", "train", "--task", task.toString(), "-o", raced.toString()}, models));
        assertThat(racedAgain.err()).contains("--resume");

        String file = out.resolve("composition.safetensors").toString();
        CliTest.Run eval = CliTest.run(concat(new String[] {"compose", "eval", "--composition", file, "--task", task.toString(), "--json",
                "--samples", tmp.resolve("s.jsonl").toString()}, models));
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(new ObjectMapper().readTree(eval.out()).get("items").asInt()).isEqualTo(2);
        CliTest.Run gen = CliTest.run(concat(new String[] {"compose", "generate", "--composition", file, "-p", "The ball is", "-n", "4",
                "--temperature", "0"}, models));
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        assertThat(gen.out()).startsWith("The ball is");
        assertThat(gen.err()).contains("pairs [1:0, 3:0]");

        // the same file with the models swapped, or with another anchor of the same shape: one clear error each
        CliTest.Run swapped = CliTest.run("compose", "generate", "--composition", file, "--anchor", augment.toString(), "--augment", anchor.toString());
        assertThat(swapped.exitCode()).isEqualTo(1);
        assertThat(swapped.err().lines().toList().getLast()).startsWith("error: ").contains("composes another anchor");
        Path other = model(tmp.resolve("other"), LLAMA, 2, 64, 23);
        CliTest.Run wrong = CliTest.run("compose", "eval", "--composition", file, "--task", task.toString(), "--anchor", other.toString(),
                "--augment", augment.toString());
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("trained for another anchor of the same shape");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
