package dev.t2.cli;

import dev.t2.adapt.ExpertLibrary;
import dev.t2.svf.ExpertFile;
import dev.t2.svf.SvfExpert;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code t2 experts list|show|mix|add}: inspect and combine the experts of a library directory. */
@Command(name = "experts", mixinStandardHelpOptions = true, description = "List, inspect and mix SVF experts.",
        subcommands = {ExpertsCommand.ListExperts.class, ExpertsCommand.Show.class, ExpertsCommand.Mix.class, ExpertsCommand.Add.class})
final class ExpertsCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.err);
    }

    @Command(name = "list", description = "Experts of a library: name, domain, parameters, task, validation score.")
    static final class ListExperts implements Callable<Integer> {
        @Option(names = "--experts", required = true, description = "library directory (with experts.json)")
        Path dir;

        @Override
        public Integer call() {
            for (ExpertLibrary.Entry e : ExpertLibrary.load(dir).entries()) {
                System.out.printf("%-16s %-10s %,9d params  task %-14s val %s  %s%n", e.name(), e.domain(), e.expert().parameterCount(),
                        e.expert().info().getOrDefault("task", "?"), e.expert().info().getOrDefault("validation_score", "?"), e.description());
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Per-matrix statistics of an expert's scales z (mean, std, min, max).")
    static final class Show implements Callable<Integer> {
        @Option(names = "--experts", description = "library directory; NAME is then an expert's name")
        Path dir;

        @Parameters(description = "expert name (with --experts) or expert file")
        String name;

        @Override
        public Integer call() {
            SvfExpert e = dir != null ? ExpertLibrary.load(dir).byName(name).expert() : ExpertFile.read(Path.of(name));
            System.out.println("targets " + e.targets().name().toLowerCase() + ", " + e.parameterCount() + " parameters, " + e.info());
            ExpertLibrary.statistics(e).forEach((m, s) -> System.out.printf("%-34s mean %.4f  std %.4f  min %.4f  max %.4f%n", m, s[0], s[1], s[2], s[3]));
            return 0;
        }
    }

    @Command(name = "add", description = "Copy an expert file into a library (created if absent) and list it in experts.json.")
    static final class Add implements Callable<Integer> {
        @Option(names = "--experts", required = true, description = "library directory") Path dir;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--domain", required = true, description = "code, math, reasoning, or another label for prompt-based dispatch") String domain;
        @Option(names = "--description", defaultValue = "") String description;
        @Parameters(index = "0", description = "expert file (from t2 train)") Path file;

        @Override
        public Integer call() throws java.io.IOException {
            SvfExpert expert = ExpertFile.read(file); // refuse anything that is not an SVF expert before touching the library
            java.nio.file.Files.createDirectories(dir);
            String target = name + ".safetensors";
            dev.t2.io.AtomicFiles.write(dir.resolve(target), out -> java.nio.file.Files.copy(file, out));
            ExpertLibrary.register(dir, name, target, domain, description);
            System.out.printf("added %s (%s, %,d parameters) to %s%n", name, domain, expert.parameterCount(), dir);
            return 0;
        }
    }

    @Command(name = "mix", description = "Write z' = Σ αₖ·zₖ (one global α per expert) as a new expert.")
    static final class Mix implements Callable<Integer> {
        @Option(names = "--experts", required = true, description = "library directory")
        Path dir;

        @Option(names = "--weights", split = ",", description = "global α per expert: name=alpha,... e.g. math=0.7,code=0.3")
        Map<String, Double> weights;

        @Option(names = "--weights-file", description = "per-matrix α as JSON: {\"expert\": {\"model.layers.0.mlp.up_proj\": 0.4, \"default\": 0.5}}")
        Path weightsFile;

        @Option(names = {"-o", "--out"}, required = true, description = "expert file to write")
        Path out;

        @Override
        public Integer call() {
            if ((weights == null) == (weightsFile == null)) throw new IllegalArgumentException("give exactly one of --weights and --weights-file");
            ExpertLibrary lib = ExpertLibrary.load(dir);
            Map<String, float[]> mixed;
            String description;
            if (weights != null) {
                mixed = lib.mix(new LinkedHashMap<>(weights));
                description = weights.toString();
            } else {
                Map<String, Map<String, Double>> perMatrix;
                try {
                    perMatrix = new com.fasterxml.jackson.databind.ObjectMapper().readValue(weightsFile.toFile(),
                            new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Map<String, Double>>>() {});
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException(weightsFile + ": " + e.getMessage(), e);
                }
                if (perMatrix.isEmpty()) throw new IllegalArgumentException(weightsFile + ": no experts");
                mixed = lib.mixPerMatrix(perMatrix);
                description = "per-matrix weights from " + weightsFile;
            }
            SvfExpert first = lib.entries().getFirst().expert();
            Map<String, String> info = new LinkedHashMap<>();
            info.put("task", "mixture");
            info.put("mixture", description);
            ExpertFile.write(out, new SvfExpert(mixed, first.shapes(), first.baseFingerprint(), first.architecture(), first.targets(), info));
            System.out.println("wrote " + out + " = " + description);
            return 0;
        }
    }
}
