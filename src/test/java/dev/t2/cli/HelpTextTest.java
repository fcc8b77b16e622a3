package dev.t2.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** picocli formats descriptions with String.format: a lone '%' prints a warning to stderr instead of the text. */
class HelpTextTest {

    @Test
    void everyCommandsHelpRendersWithoutWarnings() {
        List<String> usages = new ArrayList<>();
        PrintStream err = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            collect(Main.commandLine(), usages);
        } finally {
            System.setErr(err);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(usages).hasSizeGreaterThan(20); // every subcommand was rendered
        assertThat(String.join("\n", usages)).contains("20 % of them for composition", "elites are 20 % of it");
    }

    private static void collect(CommandLine cl, List<String> into) {
        into.add(cl.getUsageMessage());
        for (CommandLine sub : cl.getSubcommands().values()) collect(sub, into);
    }
}
