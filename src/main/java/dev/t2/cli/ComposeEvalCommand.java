package dev.t2.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.calm.ComposedModel;
import dev.t2.tasks.Evaluation;
import dev.t2.tasks.PromptFormat;
import dev.t2.tasks.Split;
import dev.t2.tasks.Task;
import dev.t2.tasks.TaskItem;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code t2 compose eval}: greedy accuracy of the composed model on a task split, as {@code t2 eval} reports it. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a composed model on a task.")
final class ComposeEvalCommand implements Callable<Integer> {
    @Mixin
    ComposeModels models;

    @Option(names = "--composition", required = true, description = "composition file from t2 compose train") Path composition;
    @Option(names = "--task", required = true, description = "task name or .jsonl file") String task;
    @Option(names = "--split", defaultValue = "test", description = "train, valid or test (default: ${DEFAULT-VALUE})") String split;
    @Option(names = "--limit", description = "evaluate the first N items only") Integer limit;
    @Option(names = "--batch", defaultValue = "16", description = "prompts generated together (default: ${DEFAULT-VALUE})") int batch;
    @Option(names = "--max-new-tokens", description = "override the task's generation budget") Integer maxNewTokens;
    @Option(names = "--data", defaultValue = "../shared/data", description = "dataset root (default: ${DEFAULT-VALUE})") Path data;
    @Option(names = "--samples", description = "write per-sample JSONL here (default: compose-eval-<task>-<split>.jsonl)") Path samples;
    @Option(names = "--json", description = "print the summary as one JSON line") boolean json;

    @Override
    public Integer call() {
        Task t = EvalCommand.resolveTask(task, data);
        List<TaskItem> items = t.items(Split.valueOf(split.toUpperCase()));
        if (items.isEmpty()) throw new IllegalArgumentException("task " + t.name() + " has no " + split + " items");
        if (limit != null) items = items.subList(0, Math.min(limit, items.size()));
        models.load();
        ComposedModel model = models.composed(composition);
        PromptFormat format = new PromptFormat(models.anchorModel.tokenizer(), models.anchorModel.chatTemplate());
        long t0 = System.nanoTime();
        var results = Evaluation.run(model, format, t, items, models.anchorModel.stopTokens(), batch, maxNewTokens);
        var summary = Evaluation.summarize(t.name(), split, results, (System.nanoTime() - t0) / 1e9);
        Path out = samples != null ? samples : Path.of("compose-eval-" + t.name() + "-" + split + ".jsonl");
        Evaluation.writeSamples(out, results);
        if (json) {
            System.out.println(new ObjectMapper().valueToTree(summary));
        } else {
            System.out.printf("%s %s: %d/%d correct, accuracy %.4f (95%% CI %.4f–%.4f), %.1f s; samples in %s%n", t.name(), split,
                    summary.correct(), summary.items(), summary.accuracy(), summary.low(), summary.high(), summary.seconds(), out);
        }
        return 0;
    }
}
