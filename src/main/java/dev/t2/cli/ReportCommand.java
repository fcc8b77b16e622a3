package dev.t2.cli;

import dev.t2.report.PaperTables;
import dev.t2.report.ReportFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code t2 report}: renders the Transformer² tables and pictures from the runs of scripts/report.sh into REPORT.md. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Write the Transformer² section of REPORT.md from the runs of scripts/report.sh.")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "report/runs", description = "directory scripts/report.sh wrote (default: ${DEFAULT-VALUE})") Path runs;
    @Option(names = "--out", defaultValue = "REPORT.md", description = "report file; only its t2 section is replaced (default: ${DEFAULT-VALUE})") Path out;
    @Option(names = "--base", defaultValue = "src/main/resources/models/t2-tiny-base", description = "the base model directory (default: ${DEFAULT-VALUE})") Path base;
    @Option(names = "--figures", defaultValue = "docs/t2", description = "where the SVG pictures go (default: ${DEFAULT-VALUE})") Path figures;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(runs.resolve("eval"))) throw new IllegalArgumentException(runs + " has no eval/ directory: run scripts/report.sh first");
        Path dir = out.toAbsolutePath().getParent();
        ReportFile.replaceSection(out, "t2", new PaperTables(runs, base, figures, dir).render());
        System.out.println("wrote the t2 section of " + out + " and its pictures in " + figures);
        return 0;
    }
}
