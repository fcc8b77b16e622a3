package dev.t2.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.generate.Generation;
import dev.t2.generate.GenerationOptions;
import dev.t2.generate.Generator;
import dev.t2.io.AtomicFiles;
import dev.t2.model.CausalLanguageModel;
import dev.t2.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Greedy evaluation of a model on task items, batched: accuracy with a 95 % Wilson interval, and one JSONL
 * record per sample (id, prompt, output, extracted answer, reference, correct) that a report can read.
 */
public final class Evaluation {
    public record Sample(TaskItem item, String prompt, String output, Verdict verdict, int generatedTokens) {}

    public record Summary(String task, String split, int items, int correct, double accuracy, double low, double high,
                          double seconds, long generatedTokens) {}

    private Evaluation() {}

    public static List<Sample> run(CausalLanguageModel model, PromptFormat format, Task task, List<TaskItem> items, Set<Integer> stopTokens,
                                   int batchSize, Integer maxNewTokens) {
        Generator generator = new Generator(model, format.tokenizer());
        GenerationOptions options = GenerationOptions.greedy(maxNewTokens != null ? maxNewTokens : task.maxNewTokens(), stopTokens)
                .withStopStrings(task.stopStrings());
        List<Sample> out = new ArrayList<>();
        Progress progress = new Progress("eval " + task.name(), items.size());
        for (int from = 0; from < items.size(); from += batchSize) {
            List<TaskItem> batch = items.subList(from, Math.min(items.size(), from + batchSize));
            List<String> texts = batch.stream().map(format::text).toList(); // rendered once, for the prompt and the record
            List<int[]> prompts = texts.stream().map(format::tokens).toList();
            List<Generation> outs = generator.generate(prompts, options, null);
            for (int i = 0; i < batch.size(); i++) {
                Verdict v = task.check(batch.get(i), outs.get(i).text());
                out.add(new Sample(batch.get(i), texts.get(i), outs.get(i).text(), v, outs.get(i).tokens().length));
            }
            long right = out.stream().filter(s -> s.verdict().correct()).count();
            progress.advance(batch.size(), String.format("acc %.3f", right / (double) out.size()));
        }
        return out;
    }

    public static Summary summarize(String task, String split, List<Sample> samples, double seconds) {
        int n = samples.size(), k = (int) samples.stream().filter(s -> s.verdict().correct()).count();
        long generatedTokens = samples.stream().mapToLong(Sample::generatedTokens).sum();
        double[] ci = wilson(k, n);
        return new Summary(task, split, n, k, n == 0 ? Double.NaN : k / (double) n, ci[0], ci[1], seconds, generatedTokens);
    }

    /** 95 % Wilson score interval for k successes out of n. */
    public static double[] wilson(int k, int n) {
        if (n == 0) return new double[] {Double.NaN, Double.NaN};
        double z = 1.959963984540054, p = k / (double) n, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    public static void writeSamples(Path file, List<Sample> samples) {
        ObjectMapper json = new ObjectMapper();
        StringBuilder s = new StringBuilder();
        for (Sample x : samples) {
            s.append(json.createObjectNode().put("id", x.item().id()).put("prompt", x.prompt()).put("output", x.output())
                    .put("extracted", x.verdict().extracted()).put("answer", x.item().answer()).put("correct", x.verdict().correct())
                    .put("detail", x.verdict().detail())).append('\n');
        }
        AtomicFiles.writeString(file, s.toString());
    }
}
