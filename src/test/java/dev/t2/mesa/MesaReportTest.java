package dev.t2.mesa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MesaReportTest {
    private static final String SECTION = MesaReport.BEGIN + "\nnew numbers\n" + MesaReport.END + "\n";

    @Test
    void createsTheReportWhenAbsent(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("REPORT.md");
        MesaReport.writeSection(report, SECTION);
        assertThat(Files.readString(report)).startsWith("# Report").contains(SECTION);
    }

    @Test
    void replacesOnlyTheMarkedSpan(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("REPORT.md");
        Files.writeString(report, "# Report\n\nintro\n\n" + MesaReport.BEGIN + "\nold numbers\n" + MesaReport.END + "\n\n## CALM\nother section\n");
        MesaReport.writeSection(report, SECTION);
        String text = Files.readString(report);
        assertThat(text).isEqualTo("# Report\n\nintro\n\n" + MesaReport.BEGIN + "\nnew numbers\n" + MesaReport.END + "\n\n## CALM\nother section\n");
        MesaReport.writeSection(report, SECTION);
        assertThat(Files.readString(report)).isEqualTo(text);
    }

    @Test
    void appendsToAReportWithoutMarkersAndRefusesAHalfMarkedOne(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("REPORT.md");
        Files.writeString(report, "# Report\n\n## CALM\nother\n");
        MesaReport.writeSection(report, SECTION);
        assertThat(Files.readString(report)).isEqualTo("# Report\n\n## CALM\nother\n\n" + SECTION);
        Files.writeString(report, "x\n" + MesaReport.BEGIN + "\n");
        assertThatThrownBy(() -> MesaReport.writeSection(report, SECTION)).hasMessageContaining("only one of the markers");
    }
}
