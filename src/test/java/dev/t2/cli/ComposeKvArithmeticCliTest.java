package dev.t2.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code t2 compose kv-arithmetic} from the command line: a short run writes the CALM section, a rerun resumes, bad sizes are refused. */
class ComposeKvArithmeticCliTest {
    @Test
    void aShortRunWritesTheCalmSectionAndARerunResumesToTheSameReport(@TempDir Path tmp) throws Exception {
        Path report = tmp.resolve("REPORT.md"), work = tmp.resolve("work");
        Files.writeString(report, "# Report\n\nkept\n");
        String[] args = {"compose", "kv-arithmetic", "-o", work.toString(), "--report", report.toString(), "--keys", "30", "--base-steps", "2",
                "--composition-steps", "2", "--eval-items", "4", "--seed", "3"};
        CliTest.Run first = CliTest.run(args);
        assertThat(first.exitCode()).as(first.err()).isZero();
        String written = Files.readString(report);
        assertThat(written).startsWith("# Report\n\nkept\n").contains("<!-- calm:begin -->", "<!-- calm:end -->", "| KV-Arithmetic |",
                "./t2 compose kv-arithmetic --keys 30 --base-steps 2 --composition-steps 2 --eval-items 4 --seed 3");
        assertThat(first.out()).contains("| KV-Substitution |");
        assertThat(first.err()).contains("linear probe of m_A layer 0", "CALM section written to " + report);
        for (String stage : new String[] {"m_A", "m_B", "lora-m_B"}) assertThat(work.resolve(stage).resolve("checkpoint.safetensors")).as(stage).exists();
        for (String stage : new String[] {"calm", "calm-variant", "calm-variant-random-m_A"}) { // the standard races 3 starts of each composition
            for (int k = 0; k < 3; k++) assertThat(work.resolve(stage).resolve("start-" + k).resolve("checkpoint.safetensors")).as(stage + " " + k).exists();
        }

        assertThat(written).containsPattern("Training time of each stage \\(s, [^)]*\\): pretrain m_A [0-9]+; pretrain m_B [0-9]+; CALM [0-9]+; "
                + "CALM variant [0-9]+; random m_A [0-9]+; LoRA [0-9]+;");

        CliTest.Run again = CliTest.run(args); // every stage complete: only evaluation runs, with the same results and logged times
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Files.readString(report)).isEqualTo(written);
    }

    @Test
    void severalSeedsRunInTheirOwnDirectoriesAndShareOneTable(@TempDir Path tmp) throws Exception {
        Path report = tmp.resolve("REPORT.md"), work = tmp.resolve("work");
        CliTest.Run run = CliTest.run("compose", "kv-arithmetic", "-o", work.toString(), "--report", report.toString(), "--keys", "30",
                "--base-steps", "2", "--composition-steps", "2", "--eval-items", "4", "--seeds", "5,7");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(work.resolve("calm").resolve("start-0").resolve("checkpoint.safetensors")).as("first seed in the work directory").exists();
        assertThat(work.resolve("seed-7").resolve("calm").resolve("start-0").resolve("checkpoint.safetensors")).exists();
        assertThat(work.resolve("seed-5")).doesNotExist();
        String written = Files.readString(report);
        assertThat(written).contains("./t2 compose kv-arithmetic --keys 30 --base-steps 2 --composition-steps 2 --eval-items 4 --seeds 5,7",
                "**Seeds**", "over 2 seeds").containsPattern("(?m)^\\| 5 \\| ").containsPattern("(?m)^\\| 7 \\| ");
        // The table's rows are the runs' own numbers: seed 7 alone gives the same figures.
        CliTest.Run alone = CliTest.run("compose", "kv-arithmetic", "-o", work.resolve("seed-7").toString(), "--report",
                tmp.resolve("R7.md").toString(), "--keys", "30", "--base-steps", "2", "--composition-steps", "2", "--eval-items", "4", "--seed", "7");
        assertThat(alone.exitCode()).as(alone.err()).isZero();
        String table7 = Files.readString(tmp.resolve("R7.md")).lines().filter(l -> l.startsWith("| CALM variant")).findFirst().orElseThrow();
        String[] cells = table7.split("\\|");
        assertThat(written).containsPattern("(?m)^\\| 7 \\| [^|]+\\| " + java.util.regex.Pattern.quote(cells[5].strip() + " / " + cells[7].strip()
                + " / " + cells[8].strip()) + " \\|");
        double[] whole = written.lines().filter(l -> l.matches("\\| [57] \\| .*")) // the variant's whole chains, third column
                .mapToDouble(l -> Double.parseDouble(l.split("\\|")[3].strip().split(" / ")[0])).toArray();
        assertThat(whole).hasSize(2);
        assertThat(written).contains(String.format(java.util.Locale.ROOT, "The variant's whole chains: mean %.1f %%, range %.1f–%.1f %% over 2 seeds",
                (whole[0] + whole[1]) / 2, Math.min(whole[0], whole[1]), Math.max(whole[0], whole[1])));
        CliTest.Run both = CliTest.run("compose", "kv-arithmetic", "-o", work.toString(), "--seed", "1", "--seeds", "1,2");
        assertThat(both.exitCode()).isNotZero();
        assertThat(both.err()).contains("--seed or --seeds");
    }

    @Test
    void refusesSizesThatCannotTrain(@TempDir Path tmp) {
        CliTest.Run run = CliTest.run("compose", "kv-arithmetic", "-o", tmp.resolve("w").toString(), "--report", tmp.resolve("R.md").toString(),
                "--composition-steps", "0");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--composition-steps").contains("0");
        assertThat(tmp.resolve("R.md")).doesNotExist();
        refused(tmp, "--keys", "17577", "--keys must be in 2..17576");
        refused(tmp, "--composition-weight-decay", "-0.1", "--composition-weight-decay must be >= 0");
        refused(tmp, "--composition-data", "kv", "--composition-data: composition data must be one of [arithmetic, substitution, mixed], got 'kv'");
        refused(tmp, "--composition-numerals", "1.5", "--composition-numerals must be in 0..1, got 1.5");
        refused(tmp, "--composition-items", "0", "--composition-items must be at least 1, got 0");
        assertThat(tmp.resolve("w")).doesNotExist();
    }

    /** One bad option value: a non-zero exit that names the problem, before anything is trained. */
    private static void refused(Path tmp, String option, String value, String message) {
        CliTest.Run run = CliTest.run("compose", "kv-arithmetic", "-o", tmp.resolve("w").toString(), option, value);
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains(message);
    }
}
