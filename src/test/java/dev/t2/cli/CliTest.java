package dev.t2.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.testing.SharedFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: text on stdout, diagnostics on stderr, one clear error line on failure. */
class CliTest {
    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(System.err, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static final Path STORIES = SharedFiles.shared().resolve("models/stories260K");

    @Test
    void generateGreedyPrintsTheDocumentedStoryOnStdout() throws Exception {
        Run r = run("generate", "--model", STORIES.toString(), "--temperature", "0");
        String notes = Files.readString(STORIES.resolve("TRAINING-NOTES.md"));
        int start = notes.indexOf("Once upon a time, there was a little girl named Lily");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().strip()).isEqualTo(notes.substring(start, notes.indexOf("```", start)).strip());
        assertThat(r.err()).contains("tokens/s");
    }

    @Test
    void tokenizeInfoAndConvert(@TempDir Path tmp) {
        Run tok = run("tokenize", "--model", STORIES.toString(), "Once upon a time");
        assertThat(tok.out().strip()).isEqualTo("{\"ids\":[1,403,407,261,378]}");
        Run info = run("info", "--model", STORIES.toString());
        assertThat(info.out()).contains("LlamaForCausalLM").contains("5 layers").contains("8 heads (4 KV heads");
        Path out = tmp.resolve("hf");
        assertThat(run("convert", "--model", STORIES.toString(), "--out", out.toString()).exitCode()).isZero();
        assertThat(out.resolve("config.json")).exists();
        Run again = run("generate", "--model", out.toString(), "--temperature", "0", "-n", "12");
        assertThat(again.out()).startsWith("Once upon a time, there was a little girl");
    }

    @Test
    void badInputGivesOneErrorLineAndExitCode1(@TempDir Path tmp) throws Exception {
        Run missing = run("generate", "--model", tmp.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err().strip()).startsWith("error: ").contains("no such file or directory").doesNotContain("\n\tat ");
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"]");
        Run badConfig = run("info", "--model", broken.toString());
        assertThat(badConfig.exitCode()).isEqualTo(1);
        assertThat(badConfig.err()).contains("config.json");
        Run badFlag = run("generate", "--model", STORIES.toString(), "--top-p", "0");
        assertThat(badFlag.exitCode()).isEqualTo(1);
        assertThat(badFlag.err()).contains("top-p");
    }

    @Test
    void trainEvalAndResumeOnAUserTask(@TempDir Path tmp) throws Exception {
        Path task = tmp.resolve("colors.jsonl");
        StringBuilder lines = new StringBuilder("{\"name\": \"colors\", \"max_new_tokens\": 4}\n");
        String[] colors = {"red", "blue", "green", "big"};
        for (int i = 0; i < 12; i++) {
            lines.append("{\"prompt\": \"Lily saw a ").append(colors[i % 4]).append(" ball. The ball was\", \"answer\": \"")
                    .append(colors[i % 4]).append("\", \"checker\": \"exact\", \"split\": \"").append(i < 8 ? "train" : i < 10 ? "valid" : "test").append("\"}\n");
        }
        Files.writeString(task, lines.toString());
        Path out = tmp.resolve("run");
        Run first = run("train", "-m", STORIES.toString(), "--task", task.toString(), "--out", out.toString(), "--steps", "2", "--batch", "4",
                "--valid-every", "1", "--cache-dir", tmp.resolve("cache").toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(out.resolve("expert.safetensors")).exists();
        assertThat(run("train", "-m", STORIES.toString(), "--task", task.toString(), "--out", out.toString(), "--steps", "3").err())
                .contains("--resume");
        Run resumed = run("train", "-m", STORIES.toString(), "--task", task.toString(), "--out", out.toString(), "--steps", "3", "--batch", "4",
                "--valid-every", "1", "--resume", "--cache-dir", tmp.resolve("cache").toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl")).stream().filter(l -> l.contains("reward_mean")).count()).isEqualTo(3);

        Run eval = run("eval", "-m", STORIES.toString(), "--task", task.toString(), "--expert", out.resolve("expert.safetensors").toString(),
                "--cache-dir", tmp.resolve("cache").toString(), "--samples", tmp.resolve("samples.jsonl").toString(), "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(eval.out());
        assertThat(summary.get("items").asInt()).isEqualTo(2);
        assertThat(Files.readAllLines(tmp.resolve("samples.jsonl"))).hasSize(2);
    }

    @Test
    void aLoraAdapterTrainsEvaluatesAndJoinsNoLibrary(@TempDir Path tmp) throws Exception {
        Path task = tmp.resolve("colors.jsonl");
        StringBuilder lines = new StringBuilder("{\"name\": \"colors\", \"max_new_tokens\": 4}\n");
        for (int i = 0; i < 6; i++) {
            lines.append("{\"prompt\": \"Lily saw a red ball. The ball was\", \"answer\": \"red\", \"checker\": \"exact\", \"split\": \"")
                    .append(i < 4 ? "train" : i < 5 ? "valid" : "test").append("\"}\n");
        }
        Files.writeString(task, lines.toString());
        Path out = tmp.resolve("lora");
        Run train = run("train", "-m", STORIES.toString(), "--task", task.toString(), "--method", "lora", "--lora-rank", "2", "--out", out.toString(),
                "--steps", "1", "--batch", "2", "--valid-every", "1");
        assertThat(train.exitCode()).as(train.err()).isZero();
        Run eval = run("eval", "-m", STORIES.toString(), "--task", task.toString(), "--lora", out.resolve("expert.safetensors").toString(),
                "--samples", tmp.resolve("s.jsonl").toString(), "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.err()).contains("LoRA adapter").contains("rank 2");
        Run both = run("eval", "-m", STORIES.toString(), "--task", task.toString(), "--lora", out.resolve("expert.safetensors").toString(),
                "--expert", out.resolve("expert.safetensors").toString());
        assertThat(both.exitCode()).isNotZero();
        assertThat(both.err()).contains("either --expert or --lora");
        // a LoRA adapter is not an SVF expert: the library refuses it and stays as it was
        Run add = run("experts", "add", "--experts", tmp.resolve("lib").toString(), "--name", "x", "--domain", "math", out.resolve("expert.safetensors").toString());
        assertThat(add.exitCode()).isNotZero();
        assertThat(add.err()).contains("not a t2 SVF expert");
        assertThat(tmp.resolve("lib")).doesNotExist();
    }

    @Test
    void expertsCommandsAndTwoPassGeneration(@TempDir Path tmp) throws Exception {
        dev.t2.testing.TestExperts.write(dev.t2.io.ModelLoader.load(STORIES), tmp);
        Path library = tmp.resolve("added");
        Run add = run("experts", "add", "--experts", library.toString(), "--name", "m", "--domain", "math", tmp.resolve("math.safetensors").toString());
        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(dev.t2.adapt.ExpertLibrary.load(library).byDomain("math").file()).isEqualTo(library.resolve("m.safetensors"));
        Run list = run("experts", "list", "--experts", tmp.toString());
        assertThat(list.out()).contains("math-expert").contains("code-expert").contains("960 params");
        Run show = run("experts", "show", "--experts", tmp.toString(), "math-expert");
        assertThat(show.out()).contains("model.layers.4.mlp.down_proj").contains("mean");
        Path mixed = tmp.resolve("mixed.safetensors");
        assertThat(run("experts", "mix", "--experts", tmp.toString(), "--weights", "math-expert=0.5,code-expert=0.5", "-o", mixed.toString()).exitCode()).isZero();
        assertThat(dev.t2.svf.ExpertFile.read(mixed).info()).containsEntry("task", "mixture");
        // per-matrix α: math on one matrix only, code everywhere at 0.5
        Path alphas = tmp.resolve("alphas.json");
        Files.writeString(alphas, "{\"math-expert\": {\"model.layers.0.mlp.up_proj\": 1.0}, \"code-expert\": {\"default\": 0.5}}");
        Path perMatrix = tmp.resolve("per-matrix.safetensors");
        Run mixRun = run("experts", "mix", "--experts", tmp.toString(), "--weights-file", alphas.toString(), "-o", perMatrix.toString());
        assertThat(mixRun.exitCode()).as(mixRun.err()).isZero();
        var lib = dev.t2.adapt.ExpertLibrary.load(tmp);
        float[] up0 = dev.t2.svf.ExpertFile.read(perMatrix).scales().get("model.layers.0.mlp.up_proj");
        float[] math = lib.byName("math-expert").expert().scales().get("model.layers.0.mlp.up_proj");
        float[] code = lib.byName("code-expert").expert().scales().get("model.layers.0.mlp.up_proj");
        for (int i = 0; i < up0.length; i++) assertThat(up0[i]).isCloseTo(math[i] + 0.5f * code[i], org.assertj.core.data.Offset.offset(1e-6f));
        float[] down1 = dev.t2.svf.ExpertFile.read(perMatrix).scales().get("model.layers.1.mlp.down_proj");
        float[] code1 = lib.byName("code-expert").expert().scales().get("model.layers.1.mlp.down_proj");
        for (int i = 0; i < down1.length; i++) assertThat(down1[i]).isCloseTo(0.5f * code1[i], org.assertj.core.data.Offset.offset(1e-6f));
        Run twoPass = run("generate", "-m", STORIES.toString(), "-p", "Once upon a time", "--temperature", "0", "-n", "10",
                "--experts", tmp.toString(), "--strategy", "prompt", "--cache-dir", tmp.resolve("cache").toString());
        assertThat(twoPass.exitCode()).as(twoPass.err()).isZero();
        assertThat(twoPass.err()).contains("pass 1 (prompt").contains("base model");
        Path task = tmp.resolve("t.jsonl");
        try {
            Files.writeString(task, "{\"prompt\": \"Tom has a red ball.\", \"answer\": \"red\", \"checker\": \"exact\"}\n{\"prompt\": \"Sue is 3.\", \"answer\": \"3\", \"checker\": \"number\"}\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Run eval = run("eval", "-m", STORIES.toString(), "--task", task.toString(), "--experts", tmp.toString(), "--strategy", "prompt",
                "--max-new-tokens", "4", "--cache-dir", tmp.resolve("cache").toString(), "--samples", tmp.resolve("s.jsonl").toString(), "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("\"strategy\":\"prompt\"").contains("pass1_seconds").contains("\"pass1_choices\":{\"base\":2}");
        assertThat(eval.err()).contains("pass 2: 2 items with the base model");
        Files.writeString(task, Files.readString(task) + "{\"prompt\": \"Lily had a big hat.\", \"answer\": \"big\", \"checker\": \"exact\"}\n");
        Run fewshot = run("eval", "-m", STORIES.toString(), "--task", task.toString(), "--experts", tmp.toString(), "--strategy", "fewshot",
                "--shots", "2", "--cem-generations", "2", "--cem-population", "4", "--max-new-tokens", "3",
                "--cache-dir", tmp.resolve("cache").toString(), "--samples", tmp.resolve("fs.jsonl").toString(), "--json");
        assertThat(fewshot.exitCode()).as(fewshot.err()).isZero();
        assertThat(fewshot.out()).contains("\"items\":1").contains("pass1_seconds");
        assertThat(tmp.resolve("fewshot-t.safetensors")).exists();
        assertThat(Files.readAllLines(tmp.resolve("cem-t.jsonl"))).hasSize(2);
        Run fewshotGenerate = run("generate", "-m", STORIES.toString(), "-p", "Once upon a time", "-n", "5", "--temperature", "0",
                "--experts", tmp.toString(), "--strategy", "fewshot:" + task, "--cem-generations", "2", "--cem-population", "4",
                "--cache-dir", tmp.resolve("cache").toString());
        assertThat(fewshotGenerate.exitCode()).as(fewshotGenerate.err()).isZero();
        assertThat(fewshotGenerate.err()).contains("few-shot CEM on 3 shots").contains("the searched mixture");
        Run noLibrary = run("generate", "-m", STORIES.toString(), "--strategy", "prompt");
        assertThat(noLibrary.exitCode()).isEqualTo(1);
        assertThat(noLibrary.err()).contains("--experts");
    }

    @Test
    void chatThroughTheTemplateWithTwoPassAdaptation(@TempDir Path tmp) throws Exception {
        Path model = dev.t2.testing.TinyModels.tinyWithRealTokenizer(tmp.resolve("qwen"), "_resaved-not-original/Qwen2.5-0.5B-Instruct",
                "Qwen2.5-1.5B-Instruct", 151936);
        Path lib = Files.createDirectories(tmp.resolve("experts"));
        dev.t2.testing.TestExperts.write(dev.t2.io.ModelLoader.load(model), lib);
        Run chat = run("chat", "-m", model.toString(), "-p", "What is 2+2?", "--temperature", "0", "-n", "6",
                "--experts", lib.toString(), "--strategy", "prompt", "--cache-dir", tmp.resolve("cache").toString());
        assertThat(chat.exitCode()).as(chat.err()).isZero();
        assertThat(chat.err()).contains("[pass 1").contains("base model");
        Run plain = run("chat", "-m", STORIES.toString(), "-p", "hi");
        assertThat(plain.exitCode()).isEqualTo(1);
        assertThat(plain.err()).contains("no chat template");
    }

    /** stories260K's tokenizer converted into {@code tmp/tok}, and {@code tmp/tiny.json}: a one-layer config of its vocabulary to pretrain in a second. */
    private static Path tinyPretrainConfig(Path tmp) throws Exception {
        Path tokDir = tmp.resolve("tok");
        assertThat(run("convert", "--model", STORIES.toString(), "--out", tokDir.toString()).exitCode()).isZero();
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(tokDir.resolve("config.json").toFile());
        config.put("num_hidden_layers", 1).put("hidden_size", 32).put("intermediate_size", 48).put("num_attention_heads", 4)
                .put("num_key_value_heads", 2).put("head_dim", 8).put("max_position_embeddings", 256);
        Path cfg = tmp.resolve("tiny.json");
        Files.writeString(cfg, config.toString());
        return cfg;
    }

    @Test
    void pretrainWritesAModelThatLoadsAndGenerates(@TempDir Path tmp) throws Exception {
        Path tokDir = tmp.resolve("tok"), cfg = tinyPretrainConfig(tmp);
        // a time-boxed run: 2 steps of a 3-step schedule, then the rest on a second start
        Run part = run("pretrain", "--config", cfg.toString(), "--tokenizer", tokDir.toString(), "--tasks", "synth-math:40", "--out",
                tmp.resolve("pre").toString(), "--steps", "3", "--stop-after", "2", "--batch", "4", "--warmup", "1", "--checkpoint-every", "2");
        assertThat(part.exitCode()).as(part.err()).isZero();
        assertThat(part.err()).contains("corpus: 40 sequences");
        assertThat(Files.readAllLines(tmp.resolve("pre/metrics.jsonl"))).hasSize(2);
        assertThat(dev.t2.io.SafetensorsFile.open(tmp.resolve("pre/model/model.safetensors")).metadata().get("recipe"))
                .contains("--steps 3 --stop-after 2");
        Run pre = run("pretrain", "--config", cfg.toString(), "--tokenizer", tokDir.toString(), "--tasks", "synth-math:40", "--out",
                tmp.resolve("pre").toString(), "--steps", "3", "--batch", "4", "--warmup", "1", "--checkpoint-every", "2");
        assertThat(pre.exitCode()).as(pre.err()).isZero();
        var lines = Files.readAllLines(tmp.resolve("pre/metrics.jsonl"));
        assertThat(lines).hasSize(3);
        assertThat(Files.readAllLines(tmp.resolve("pre/model/pretrain-metrics.jsonl"))).isEqualTo(lines);
        double lastLr = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(2)).get("lr").asDouble();
        // the third step follows the 3-step schedule the first run was cut from
        assertThat(lastLr).isCloseTo(new dev.t2.rl.CosineSchedule(1, 3, 3e-3f, 3e-4f).at(2), org.assertj.core.data.Offset.offset(1e-7));
        assertThat(run("pretrain", "--config", cfg.toString(), "--tokenizer", tokDir.toString(), "--out", tmp.resolve("x").toString(),
                "--steps", "3", "--stop-after", "4").err()).contains("--stop-after must be in 1..3");
        Run gen = run("generate", "-m", tmp.resolve("pre/model").toString(), "-p", "Tom has", "-n", "5", "--temperature", "0");
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        assertThat(gen.out()).startsWith("Tom has");
    }

    @Test
    void pretrainStartsFromAnotherModelsWeightsWhenTheArchitectureMatches(@TempDir Path tmp) throws Exception {
        Path tokDir = tmp.resolve("tok"), cfg = tinyPretrainConfig(tmp);
        Run first = run("pretrain", "--config", cfg.toString(), "--tokenizer", tokDir.toString(), "--tasks", "synth-math:40", "--out",
                tmp.resolve("first").toString(), "--steps", "2", "--batch", "4", "--warmup", "1");
        assertThat(first.exitCode()).as(first.err()).isZero();
        // a learning rate far below bf16's resolution: the next phase's model is its starting point, bit for bit
        Run next = run("pretrain", "--config", cfg.toString(), "--tokenizer", tokDir.toString(), "--tasks", "synth-code:40", "--out",
                tmp.resolve("next").toString(), "--steps", "1", "--batch", "4", "--warmup", "0", "--lr", "1e-12", "--min-lr", "1e-12",
                "--seed", "7", "--init-from", tmp.resolve("first/model").toString());
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(next.err()).contains("initial weights: " + tmp.resolve("first/model"));
        var started = dev.t2.io.SafetensorsFile.open(tmp.resolve("first/model/model.safetensors"));
        var continued = dev.t2.io.SafetensorsFile.open(tmp.resolve("next/model/model.safetensors"));
        assertThat(continued.names()).containsExactlyInAnyOrderElementsOf(started.names());
        assertThat(continued.metadata().get("recipe")).contains("--init-from");
        assertThat(continued.metadata().get("init_recipe")).isEqualTo(started.metadata().get("recipe")).contains("--tasks synth-math:40");
        for (String name : started.names()) {
            assertThat(continued.tensor(name).toFloatArray()).as(name).containsExactly(started.tensor(name).toFloatArray());
        }
        // the same run from random weights (seed 7) is another model
        Run fresh = run("pretrain", "--config", cfg.toString(), "--tokenizer", tokDir.toString(), "--tasks", "synth-code:40", "--out",
                tmp.resolve("fresh").toString(), "--steps", "1", "--batch", "4", "--warmup", "0", "--lr", "1e-12", "--min-lr", "1e-12", "--seed", "7");
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        assertThat(dev.t2.io.SafetensorsFile.open(tmp.resolve("fresh/model/model.safetensors")).tensor("model.embed_tokens.weight").toFloatArray())
                .isNotEqualTo(started.tensor("model.embed_tokens.weight").toFloatArray());
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(cfg.toFile());
        config.put("hidden_size", 64).put("head_dim", 16);
        Path wider = tmp.resolve("wider.json");
        Files.writeString(wider, config.toString());
        Run mismatch = run("pretrain", "--config", wider.toString(), "--tokenizer", tokDir.toString(), "--tasks", "synth-math:40", "--out",
                tmp.resolve("bad").toString(), "--steps", "1", "--batch", "4", "--init-from", tmp.resolve("first/model").toString());
        assertThat(mismatch.exitCode()).isNotZero();
        assertThat(mismatch.err()).contains("not a model of the --config architecture").contains("hidden_size 32 (--config: 64)")
                .contains("head_dim 8 (--config: 16)").doesNotContain("corpus:");
        assertThat(tmp.resolve("bad/model")).doesNotExist();
    }
}
