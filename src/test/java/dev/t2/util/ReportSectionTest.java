package dev.t2.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report section replaces only its own span; others' sections and text stay as they were. */
class ReportSectionTest {
    @Test
    void createsAppendsAndReplacesOnlyItsSpan(@TempDir Path tmp) throws Exception {
        Path report = tmp.resolve("REPORT.md");
        ReportSection.write(report, "calm", "first");
        assertThat(Files.readString(report)).isEqualTo("<!-- calm:begin -->\nfirst\n<!-- calm:end -->\n");
        Files.writeString(report, "# Report\n\n<!-- svf:begin -->\nsvf text\n<!-- svf:end -->\n\n" + Files.readString(report) + "\nfooter\n");
        ReportSection.write(report, "calm", "second\nlines");
        assertThat(Files.readString(report)).isEqualTo("# Report\n\n<!-- svf:begin -->\nsvf text\n<!-- svf:end -->\n\n"
                + "<!-- calm:begin -->\nsecond\nlines\n<!-- calm:end -->\n\nfooter\n");
        ReportSection.write(report, "mesa", "m");
        assertThat(Files.readString(report)).endsWith("footer\n\n<!-- mesa:begin -->\nm\n<!-- mesa:end -->\n");
        Files.writeString(report, "<!-- calm:begin -->\nhalf");
        assertThatThrownBy(() -> ReportSection.write(report, "calm", "x")).hasMessageContaining("only one of the markers");
    }
}
