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

/** {@code t2 experts list|show|mix}: inspect and combine the experts of a library directory. */
@Command(name = "experts", mixinStandardHelpOptions = true, description = "List, inspect and mix SVF experts.",
        subcommands = {ExpertsCommand.ListExperts.class, ExpertsCommand.Show.class, ExpertsCommand.Mix.class})
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

    @Command(name = "mix", description = "Write z' = Σ αₖ·zₖ (one global α per expert) as a new expert.")
    static final class Mix implements Callable<Integer> {
        @Option(names = "--experts", required = true, description = "library directory")
        Path dir;

        @Option(names = "--weights", required = true, split = ",", description = "name=alpha,... e.g. math=0.7,code=0.3")
        Map<String, Double> weights;

        @Option(names = {"-o", "--out"}, required = true, description = "expert file to write")
        Path out;

        @Override
        public Integer call() {
            ExpertLibrary lib = ExpertLibrary.load(dir);
            SvfExpert first = lib.byName(weights.keySet().iterator().next()).expert();
            Map<String, String> info = new LinkedHashMap<>();
            info.put("task", "mixture");
            info.put("mixture", weights.toString());
            ExpertFile.write(out, new SvfExpert(lib.mix(new LinkedHashMap<>(weights)), first.shapes(), first.baseFingerprint(),
                    first.architecture(), first.targets(), info));
            System.out.println("wrote " + out + " = " + weights);
            return 0;
        }
    }
}
