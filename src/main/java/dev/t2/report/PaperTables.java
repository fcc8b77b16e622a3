package dev.t2.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2.svf.ExpertFile;
import dev.t2.svf.LoraAdapter;
import dev.t2.svf.SvfExpert;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's tables and pictures in miniature, rendered from the outputs of {@code scripts/report.sh}: expert runs
 * ({@code svf-D/}, {@code lora-D/} with expert.safetensors and metrics.jsonl) and one JSON summary per evaluation
 * ({@code eval/VARIANT__TASK.json}, as {@code t2 eval --json} prints it), CEM logs ({@code eval/cem-TASK.jsonl}).
 */
public final class PaperTables {
    public static final List<String> DOMAINS = List.of("math", "code", "reasoning");
    public static final Map<String, String> HELD_OUT = Map.of("synth-math-hard", "math", "synth-code-vars", "code", "synth-reasoning-4", "reasoning");
    private static final List<String> HELD_OUT_ORDER = List.of("synth-math-hard", "synth-code-vars", "synth-reasoning-4");
    private static final List<String> STRATEGIES = List.of("prompt", "classifier", "fewshot");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path runs, base, figures, reportDir;

    /**
     * @param base    the base model directory (its pretrain-metrics.jsonl gives the pretraining curve), or null
     * @param figures where the SVGs go; links in the markdown are relative to {@code reportDir}
     */
    public PaperTables(Path runs, Path base, Path figures, Path reportDir) {
        this.runs = runs;
        this.base = base;
        this.figures = figures;
        this.reportDir = reportDir;
    }

    /** The markdown of the section; writes its figures. */
    public String render() throws IOException {
        Files.createDirectories(figures);
        StringBuilder md = new StringBuilder();
        md.append("## Transformer² in miniature (issue 5)\n\n");
        md.append("Regenerate: `scripts/report.sh` (trains the experts, evaluates every row, then runs `t2 report`). ")
                .append("Accuracy in % on 200 held-out test items unless stated, with 95 % Wilson intervals; seeds fixed in the script.\n\n");
        baseModel(md);
        table1(md);
        table2(md);
        table3(md);
        findings(md);
        pictures(md);
        return md.toString();
    }

    private void baseModel(StringBuilder md) throws IOException {
        if (base == null || !Files.isRegularFile(base.resolve("pretrain-metrics.jsonl"))) return;
        List<double[]> loss = new ArrayList<>();
        for (String line : Files.readAllLines(base.resolve("pretrain-metrics.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            loss.add(new double[] {n.get("step").asDouble(), n.get("loss").asDouble()});
        }
        md.append("### The base model\n\n");
        md.append(String.format(Locale.ROOT, "t2-tiny-base (`%s`), pretrained from scratch by `scripts/train-base.sh` for %d steps; final loss %.3f"
                + " (mean cross-entropy of the response tokens, last 20 steps).%n%n", base.toString().replace('\\', '/'), loss.size(),
                loss.subList(Math.max(0, loss.size() - 20), loss.size()).stream().mapToDouble(p -> p[1]).average().orElse(Double.NaN)));
        figure(md, "pretrain-loss.svg", "pretraining loss", SvgChart.lines("Pretraining loss (response tokens), 20-step moving average", "step",
                "cross-entropy", List.of(series("t2-tiny-base", smooth(loss, 20))), Map.of()));
    }

    private void table1(StringBuilder md) {
        md.append("### Table 1 analogue: trained domains (base vs SVF vs LoRA)\n\n");
        md.append("| Test set | Base | SVF expert | LoRA |\n|---|---|---|---|\n");
        for (String d : DOMAINS) {
            String task = "synth-" + d;
            md.append("| ").append(task).append(" | ").append(cell("base", task)).append(" | ").append(cell("svf-" + d, task)).append(" | ")
                    .append(cell("lora-" + d, task)).append(" |\n");
        }
        md.append("| synth-classification (domain of the prompt) | ").append(cell("base", "synth-classification")).append(" | ")
                .append(cell("svf-classification", "synth-classification")).append(" | — |\n");
        md.append("| trainable parameters per expert | — | ").append(svfParameters()).append(" | ").append(loraParameters()).append(" |\n\n");
    }

    private void table2(StringBuilder md) {
        md.append("### Table 2 analogue: unseen task families (never trained on)\n\n");
        md.append("| Unseen task | Base | Best LoRA | Matching SVF expert | T² prompt | T² classifier | T² few-shot |\n|---|---|---|---|---|---|---|\n");
        for (String task : HELD_OUT_ORDER) {
            String best = "—";
            double bestAcc = -1;
            for (String d : DOMAINS) {
                JsonNode r = result("lora-" + d, task);
                if (r != null && r.get("accuracy").asDouble() > bestAcc) {
                    bestAcc = r.get("accuracy").asDouble();
                    best = cell("lora-" + d, task) + " (" + d + ")";
                }
            }
            md.append("| ").append(task).append(" | ").append(cell("base", task)).append(" | ").append(best).append(" | ")
                    .append(cell("svf-" + HELD_OUT.get(task), task));
            for (String s : STRATEGIES) md.append(" | ").append(cell(s, task));
            md.append(" |\n");
        }
        md.append("\nFew-shot: 10 seeded shots are searched with CEM and the remaining 190 items are scored.\n\n");
    }

    private void table3(StringBuilder md) {
        md.append("### Table 3 analogue: time of pass 1 vs pass 2\n\n");
        md.append("| Unseen task | Strategy | Pass 1 (s) | Pass 2 (s) | Pass 1 / pass 2 |\n|---|---|---|---|---|\n");
        for (String task : HELD_OUT_ORDER) {
            for (String s : STRATEGIES) {
                JsonNode r = result(s, task);
                if (r == null || !r.has("pass1_seconds")) continue;
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.0f %% |%n", task, s, r.get("pass1_seconds").asDouble(),
                        r.get("seconds").asDouble(), 100 * passRatio(r)));
            }
        }
        md.append("\n");
    }

    /** Accuracy from which a trained domain leaves an expert no room to show a gain on 200 items. */
    static final double CEILING = 0.95;

    /** Accuracy a guess gets: one of the options for multiple choice and classification, about nothing for a number. */
    private static final Map<String, Double> CHANCE = Map.of("synth-math", 0.0, "synth-code", 0.0, "synth-reasoning", 1 / 3.0,
            "synth-classification", 1 / 3.0, "synth-math-hard", 0.0, "synth-code-vars", 0.0, "synth-reasoning-4", 0.25);

    /**
     * What the tables show, read from the same summaries by fixed rules, so the text changes with the numbers: a
     * difference counts only when the two 95 % intervals do not overlap, "above chance" only when the interval's low end
     * is above it, "below ceiling" only when its high end is below {@link #CEILING} (a Wilson interval's high end stays
     * under 100 % unless every item is right, so 100 % would call a 99 % base partial).
     */
    private void findings(StringBuilder md) {
        md.append("### What the tables show\n\n");
        md.append("Read from the summaries above by fixed rules: a difference counts when the two 95 % intervals do not overlap; "
                + "above chance when the interval's low end is above chance; below ceiling when its high end is below "
                + Math.round(100 * CEILING) + " %.\n\n");
        List<String> competent = new ArrayList<>(), notCompetent = new ArrayList<>();
        for (String d : DOMAINS) {
            JsonNode b = result("base", "synth-" + d);
            if (b == null) continue;
            double chance = CHANCE.get("synth-" + d);
            String text = String.format(Locale.ROOT, "%s %.1f %% (chance %.0f %%)", d, 100 * b.get("accuracy").asDouble(), 100 * chance);
            if (b.get("low").asDouble() <= chance) notCompetent.add(text);
            else if (b.get("high").asDouble() >= CEILING) notCompetent.add(text.replace(")", "; at the ceiling)"));
            else competent.add(text);
        }
        if (!competent.isEmpty() || !notCompetent.isEmpty()) {
            md.append("- **Base.** Partially competent (above chance, below ceiling) on ").append(competent.isEmpty() ? "no trained domain" : String.join(", ", competent));
            if (!notCompetent.isEmpty()) md.append("; **not** on ").append(String.join(", ", notCompetent));
            md.append(".\n");
        }
        List<String> svf = new ArrayList<>();
        for (String d : DOMAINS) {
            String diff = difference("svf-" + d, "base", "synth-" + d);
            if (diff != null) svf.add(d + " " + diff);
        }
        if (!svf.isEmpty()) md.append("- **Table 1.** SVF expert vs base: ").append(String.join(", ", svf)).append(".\n");
        for (String task : HELD_OUT_ORDER) {
            JsonNode b = result("base", task);
            if (b == null) continue;
            List<String> parts = new ArrayList<>();
            double[] acc = new double[STRATEGIES.size()];
            boolean all = true;
            for (int i = 0; i < STRATEGIES.size(); i++) {
                JsonNode r = result(STRATEGIES.get(i), task);
                if (r == null) {
                    all = false;
                    continue;
                }
                acc[i] = r.get("accuracy").asDouble();
                parts.add(STRATEGIES.get(i) + " " + difference(STRATEGIES.get(i), "base", task) + routing(r));
            }
            if (parts.isEmpty()) continue;
            md.append("- **Table 2, ").append(task).append(".** Transformer² vs base: ").append(String.join("; ", parts)).append('.');
            if (all) {
                md.append(acc[0] <= acc[1] && acc[1] <= acc[2] ? " The ordering prompt ≤ classifier ≤ few-shot holds" : " The ordering prompt ≤ classifier ≤ few-shot does **not** hold")
                        .append(" in the point estimates.");
            }
            md.append('\n');
        }
        List<String> ratios = new ArrayList<>();
        for (String st : STRATEGIES) {
            double lo = Double.MAX_VALUE, hi = 0;
            for (String task : HELD_OUT_ORDER) {
                JsonNode r = result(st, task);
                if (r == null || !r.has("pass1_seconds")) continue;
                double ratio = passRatio(r);
                lo = Math.min(lo, ratio);
                hi = Math.max(hi, ratio);
            }
            if (hi > 0) ratios.add(String.format(Locale.ROOT, "%s %.1f–%.1f×", st, lo, hi));
        }
        if (!ratios.isEmpty()) md.append("- **Table 3.** Pass 1 takes ").append(String.join(", ", ratios)).append(" the time of pass 2.\n");
        md.append('\n');
    }

    /** Pass 1's time over pass 2's, from a two-pass evaluation's summary. */
    private static double passRatio(JsonNode summary) {
        return summary.get("pass1_seconds").asDouble() / summary.get("seconds").asDouble();
    }

    /** "+6.5 points (beyond the intervals)" or "… (within the intervals)", variant minus reference; null when either is missing. */
    private String difference(String variant, String reference, String task) {
        JsonNode v = result(variant, task), r = result(reference, task);
        if (v == null || r == null) return null;
        double diff = 100 * (v.get("accuracy").asDouble() - r.get("accuracy").asDouble());
        boolean apart = v.get("low").asDouble() > r.get("high").asDouble() || v.get("high").asDouble() < r.get("low").asDouble();
        return String.format(Locale.ROOT, "%+.1f points (%s)", diff, apart ? "beyond the intervals" : "within the intervals");
    }

    /** ", pass 1 chose reasoning 36 %, base 64 %" from a summary's pass-1 counts, or "" when it has none. */
    private static String routing(JsonNode summary) {
        JsonNode choices = summary.get("pass1_choices");
        if (choices == null || choices.isEmpty()) return "";
        int total = 0;
        for (JsonNode n : choices) total += n.asInt();
        List<String> parts = new ArrayList<>();
        for (var it = choices.fields(); it.hasNext(); ) {
            var e = it.next();
            parts.add(String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100.0 * e.getValue().asInt() / total));
        }
        return ", pass 1 chose " + String.join(", ", parts);
    }

    private void pictures(StringBuilder md) throws IOException {
        md.append("### Pictures\n\n");
        List<SvgChart.Series> validation = new ArrayList<>(), reward = new ArrayList<>();
        for (String method : List.of("svf", "lora")) {
            for (String d : method.equals("svf") ? List.of("math", "code", "reasoning", "classification") : DOMAINS) {
                Path metrics = runs.resolve(method + "-" + d).resolve("metrics.jsonl");
                if (!Files.isRegularFile(metrics)) continue;
                List<double[]> val = new ArrayList<>(), rew = new ArrayList<>();
                for (String line : Files.readAllLines(metrics)) {
                    JsonNode n = JSON.readTree(line);
                    if (n.has("val_accuracy")) val.add(new double[] {n.get("step").asDouble(), n.get("val_accuracy").asDouble()});
                    else if (n.has("reward_mean")) rew.add(new double[] {n.get("step").asDouble(), n.get("reward_mean").asDouble()});
                }
                validation.add(series(method.toUpperCase(Locale.ROOT) + " " + d, val));
                reward.add(series(method.toUpperCase(Locale.ROOT) + " " + d, smooth(rew, 5)));
            }
        }
        if (!validation.isEmpty()) {
            figure(md, "rl-validation.svg", "RL training: validation accuracy", SvgChart.lines("Validation accuracy during RL training", "step",
                    "accuracy", validation, Map.of()));
            figure(md, "rl-reward.svg", "RL training: mean reward", SvgChart.lines("Mean rollout reward (±1), 5-step moving average", "step",
                    "reward", reward, Map.of()));
        }
        for (String d : List.of("math", "code", "reasoning", "classification")) {
            Path file = runs.resolve("svf-" + d).resolve("expert.safetensors");
            if (!Files.isRegularFile(file)) continue;
            SvfExpert e = ExpertFile.read(file);
            List<String> labels = new ArrayList<>();
            List<float[]> rows = new ArrayList<>();
            e.scales().forEach((name, z) -> {
                labels.add(name.replace("model.layers.", "L").replace(".mlp.", " ").replace(".self_attn.", " "));
                rows.add(z);
            });
            // an untrained scale is sigmoid(0.1)·max_mult with max_mult 1 (the reference's), so colour the change from it
            double initial = 1 / (1 + Math.exp(-dev.t2.svf.SvfLinear.INITIAL_LOGIT));
            double max = 0;
            for (float[] z : rows) for (float v : z) max = Math.max(max, Math.abs(v - initial));
            figure(md, "z-" + d + ".svg", "z of the " + d + " expert", SvgChart.heatmap(String.format(Locale.ROOT,
                    "SVF expert '%s': z per matrix (%.3f = untrained)", d, initial), "singular value index (largest first)", labels,
                    rows.toArray(float[][]::new), initial, Math.max(max, 1e-3)));
        }
        List<SvgChart.Series> cem = new ArrayList<>();
        for (String task : HELD_OUT_ORDER) {
            Path log = runs.resolve("eval").resolve("cem-" + task + ".jsonl");
            if (!Files.isRegularFile(log)) continue;
            List<double[]> best = new ArrayList<>(), mean = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                JsonNode n = JSON.readTree(line);
                double sum = 0;
                for (JsonNode a : n.get("accuracies")) sum += a.asDouble();
                best.add(new double[] {n.get("generation").asDouble(), n.get("best_accuracy").asDouble()});
                mean.add(new double[] {n.get("generation").asDouble(), sum / Math.max(1, n.get("accuracies").size())});
            }
            cem.add(series(task + " best", best));
            cem.add(series(task + " mean", mean));
        }
        if (!cem.isEmpty()) {
            figure(md, "cem.svg", "CEM score per generation", SvgChart.lines("Few-shot CEM: shot accuracy per generation", "generation",
                    "accuracy on the shots", cem, Map.of()));
        }
    }

    private void figure(StringBuilder md, String file, String alt, String svg) throws IOException {
        Files.writeString(figures.resolve(file), svg);
        md.append("![").append(alt).append("](").append(reportDir.toAbsolutePath().relativize(figures.resolve(file).toAbsolutePath()).toString().replace('\\', '/'))
                .append(")\n\n");
    }

    private static SvgChart.Series series(String label, List<double[]> points) {
        double[] x = new double[points.size()], y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new SvgChart.Series(label, x, y);
    }

    private static List<double[]> smooth(List<double[]> points, int window) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            double sum = 0;
            int from = Math.max(0, i - window + 1);
            for (int k = from; k <= i; k++) sum += points.get(k)[1];
            out.add(new double[] {points.get(i)[0], sum / (i - from + 1)});
        }
        return out;
    }

    /** "41.0 [34.4–47.9]" from an evaluation's summary, or "—" when that evaluation was not run. */
    private String cell(String variant, String task) {
        JsonNode r = result(variant, task);
        if (r == null) return "—";
        return String.format(Locale.ROOT, "%.1f [%.1f–%.1f]", 100 * r.get("accuracy").asDouble(), 100 * r.get("low").asDouble(), 100 * r.get("high").asDouble());
    }

    private final Map<String, JsonNode> results = new LinkedHashMap<>();

    private JsonNode result(String variant, String task) {
        return results.computeIfAbsent(variant + "__" + task, key -> {
            Path file = runs.resolve("eval").resolve(key + ".json");
            if (!Files.isRegularFile(file)) return null;
            try {
                List<String> lines = Files.readAllLines(file).stream().filter(l -> l.startsWith("{")).toList();
                if (lines.isEmpty()) throw new IOException(file + " holds no JSON summary line");
                return JSON.readTree(lines.getLast());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private String svfParameters() {
        Path f = runs.resolve("svf-math").resolve("expert.safetensors");
        return Files.isRegularFile(f) ? String.format(Locale.ROOT, "%,d", ExpertFile.read(f).parameterCount()) : "—";
    }

    private String loraParameters() {
        Path f = runs.resolve("lora-math").resolve("expert.safetensors");
        if (!Files.isRegularFile(f)) return "—";
        LoraAdapter a = LoraAdapter.read(f);
        return String.format(Locale.ROOT, "%,d (rank %d on %s)", a.parameterCount(), a.rank(),
                String.join(", ", a.factors().keySet().stream().map(p -> p.substring(p.lastIndexOf('.') + 1)).distinct().toList()));
    }
}
