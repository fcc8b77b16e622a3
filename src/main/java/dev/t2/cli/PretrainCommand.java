package dev.t2.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2.io.LoadedModel;
import dev.t2.io.ModelLoader;
import dev.t2.io.SafetensorsWriter;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.Parameter;
import dev.t2.model.RandomWeights;
import dev.t2.model.TrainableWeights;
import dev.t2.rl.CosineSchedule;
import dev.t2.rl.Pretrainer;
import dev.t2.tasks.PromptFormat;
import dev.t2.tasks.Split;
import dev.t2.tasks.SyntheticTasks;
import dev.t2.tasks.TaskItem;
import dev.t2.tensor.DType;
import dev.t2.tensor.Tensor;
import dev.t2.tokenizer.Tokenizer;
import dev.t2.tokenizer.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code t2 pretrain}: a Llama-architecture model trained from scratch on task items rendered as instruction →
 * worked solution, written as a normal Hugging Face directory (bf16 safetensors + config.json + tokenizer files).
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true, description = "Train a small model from scratch on generated or real tasks.")
final class PretrainCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, description = "config.json giving the architecture (vocab_size must match the tokenizer)")
    Path config;

    @Option(names = "--tokenizer", required = true, description = "directory with tokenizer.json (+ tokenizer_config.json)")
    Path tokenizerDir;

    @Option(names = "--tasks", split = ",", defaultValue = "synth-math,synth-code,synth-reasoning,synth-classification",
            description = "tasks whose TRAIN items form the corpus, each as NAME or NAME:COUNT; a generated (synth-) task"
                    + " draws COUNT items, beyond its TRAIN split if needed but never a held-out question (default: ${DEFAULT-VALUE})")
    List<String> tasks;

    @Option(names = "--loss-on", defaultValue = "response", description = "response (the solution tokens only) or all tokens (default: ${DEFAULT-VALUE})")
    String lossOn;

    @Option(names = "--data", defaultValue = "../shared/data", description = "dataset root for real tasks") Path data;
    @Option(names = {"-o", "--out"}, required = true, description = "output directory (checkpoint, metrics.jsonl, model/)") Path out;
    @Option(names = "--steps", defaultValue = "1000", description = "length of the learning-rate schedule, and of training (default: ${DEFAULT-VALUE})") int steps;
    @Option(names = "--stop-after", description = "end training after this many steps of the --steps schedule (a time-boxed run; default: all)")
    Integer stopAfter;
    @Option(names = "--batch", defaultValue = "32", description = "sequences per step") int batch;
    @Option(names = "--lr", defaultValue = "3e-3") float lr;
    @Option(names = "--min-lr", defaultValue = "3e-4") float minLr;
    @Option(names = "--warmup", defaultValue = "50") int warmup;
    @Option(names = "--weight-decay", defaultValue = "0.1") float weightDecay;
    @Option(names = "--clip", defaultValue = "1.0") float clip;
    @Option(names = "--init-std", defaultValue = "0.02") double initStd;
    @Option(names = "--checkpoint-every", defaultValue = "50") int checkpointEvery;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--init-from", description = "start from this model's weights (a directory t2 pretrain wrote, or any HF"
            + " directory of the --config architecture) instead of random ones: a curriculum's next phase, or continued pretraining")
    Path initFrom;

    @Override
    public Integer call() throws Exception {
        ModelConfig c = ModelConfig.readHuggingFace(config);
        Tokenizer tok = Tokenizers.forHuggingFaceDirectory(tokenizerDir);
        if (tok.vocabSize() > c.vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tok.vocabSize() + " tokens but the config's vocab_size is " + c.vocabSize());
        }
        PromptFormat format = new PromptFormat(tok, null);
        if (stopAfter != null && (stopAfter <= 0 || stopAfter > steps)) throw new IllegalArgumentException("--stop-after must be in 1.." + steps + ", got " + stopAfter);
        int trainedSteps = stopAfter != null ? stopAfter : steps;
        if (!lossOn.equals("response") && !lossOn.equals("all")) throw new IllegalArgumentException("--loss-on must be response or all, got '" + lossOn + "'");
        LlamaWeights start = initFrom == null ? null : initialWeights(c); // a wrong start fails before the corpus is built
        String initRecipe = initFrom == null ? null : recipeOf(initFrom);
        List<int[]> corpus = new ArrayList<>();
        List<Integer> promptLengths = new ArrayList<>();
        for (String spec : tasks) {
            for (TaskItem item : corpusItems(spec)) {
                int[] prompt = format.tokens(item), answer = tok.encode(item.solution(), false);
                if (prompt.length + 1 >= c.maxPositions()) {
                    throw new IllegalArgumentException(item.id() + ": its prompt has " + prompt.length + " tokens, more than max_position_embeddings "
                            + c.maxPositions() + " leaves room for; raise it in " + config);
                }
                int n = Math.min(c.maxPositions(), prompt.length + answer.length + 1);
                int[] seq = new int[n];
                for (int i = 0; i < n; i++) seq[i] = i < prompt.length ? prompt[i] : i - prompt.length < answer.length ? answer[i - prompt.length] : tok.eosId();
                corpus.add(seq);
                promptLengths.add(lossOn.equals("all") ? 1 : prompt.length);
            }
        }
        System.err.printf("corpus: %,d sequences, %,d tokens from %s%n", corpus.size(), corpus.stream().mapToLong(s -> s.length).sum(), tasks);
        TrainableWeights w = TrainableWeights.allTrainable(c, start != null ? start : RandomWeights.create(c, DType.F32, seed, initStd));
        System.err.printf("model: %,d parameters%n", w.trainableCount());
        double loss = Pretrainer.train(w, corpus, promptLengths.stream().mapToInt(Integer::intValue).toArray(), new Pretrainer.Config(trainedSteps, batch, new CosineSchedule(warmup, steps, lr, minLr),
                weightDecay, clip, checkpointEvery, seed), out);
        Path modelDir = out.resolve("model");
        Files.createDirectories(modelDir);
        Files.writeString(modelDir.resolve("config.json"), c.toHuggingFaceJson("bfloat16").toPrettyString());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : w.trainable()) {
            int[] shape = p.shape();
            long[] dims = new long[shape.length];
            for (int i = 0; i < shape.length; i++) dims[i] = shape[i];
            tensors.put(p.name(), Tensor.encode(p.name(), DType.BF16, p.value(), dims));
        }
        Map<String, String> metadata = new LinkedHashMap<>(Map.of("format", "pt", "created_by", "t2 pretrain",
                "recipe", String.join(" ", spec.commandLine().getParseResult().originalArgs())));
        if (initRecipe != null) metadata.put("init_recipe", initRecipe); // how the starting weights were made travels with the model
        SafetensorsWriter.write(modelDir.resolve("model.safetensors"), tensors, metadata);
        Files.copy(out.resolve("metrics.jsonl"), modelDir.resolve("pretrain-metrics.jsonl"), StandardCopyOption.REPLACE_EXISTING); // the loss curve travels with the model
        for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
            if (Files.isRegularFile(tokenizerDir.resolve(f))) Files.copy(tokenizerDir.resolve(f), modelDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Double.isNaN(loss)) System.out.printf("the checkpoint had finished training; model written again in %s%n", modelDir);
        else System.out.printf("final loss %.4f; model in %s, metrics in %s%n", loss, modelDir, out.resolve("metrics.jsonl"));
        return 0;
    }

    /** The --init-from model's weights, refused unless its architecture is exactly --config's. */
    private LlamaWeights initialWeights(ModelConfig c) {
        LoadedModel start = ModelLoader.load(initFrom);
        if (!start.config().equals(c)) {
            ObjectNode want = c.toHuggingFaceJson("float32"), have = start.config().toHuggingFaceJson("float32");
            List<String> differences = new ArrayList<>();
            want.fieldNames().forEachRemaining(k -> {
                if (!want.get(k).equals(have.get(k))) differences.add(k + " " + have.get(k) + " (--config: " + want.get(k) + ")");
            });
            throw new IllegalArgumentException("--init-from " + initFrom + " is not a model of the --config architecture: "
                    + (differences.isEmpty() ? start.config() + " vs " + c : String.join(", ", differences)));
        }
        System.err.printf("initial weights: %s%n", initFrom);
        return start.weights();
    }

    /** The pretrain arguments a t2-pretrained model records (with its own start's, if it had one), or null for other models. */
    private static String recipeOf(Path model) {
        Path file = Files.isDirectory(model) ? model.resolve("model.safetensors") : model;
        if (!Files.isRegularFile(file) || !file.getFileName().toString().endsWith(".safetensors")) return null; // GGUF, llama2.c: no recipe
        Map<String, String> m = dev.t2.io.SafetensorsFile.open(file).metadata();
        if (m.get("recipe") == null) return null;
        return m.get("init_recipe") == null ? m.get("recipe") : m.get("recipe") + " <- " + m.get("init_recipe");
    }

    private List<TaskItem> corpusItems(String spec) throws Exception {
        int colon = spec.lastIndexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        List<TaskItem> train = EvalCommand.resolveTask(name, data).items(Split.TRAIN);
        if (colon < 0) return train;
        int count;
        try {
            count = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--tasks: '" + spec + "' is not NAME or NAME:COUNT");
        }
        if (count <= 0) throw new IllegalArgumentException("--tasks: the count in '" + spec + "' must be positive");
        return name.startsWith("synth-") ? SyntheticTasks.corpus(name, count) : train.subList(0, Math.min(count, train.size()));
    }
}
