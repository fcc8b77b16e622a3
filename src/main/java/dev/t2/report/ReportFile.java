package dev.t2.report;

import dev.t2.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * REPORT.md is written by several commands, each owning the span between {@code <!-- NAME:begin -->} and
 * {@code <!-- NAME:end -->}; replacing one span leaves the others as they were.
 */
public final class ReportFile {
    private ReportFile() {}

    public static void replaceSection(Path report, String name, String content) throws IOException {
        String begin = "<!-- " + name + ":begin -->", end = "<!-- " + name + ":end -->";
        String text = Files.isRegularFile(report) ? Files.readString(report) : "";
        String block = begin + "\n" + content.strip() + "\n" + end;
        int b = text.indexOf(begin), e = text.indexOf(end);
        if ((b < 0) != (e < 0) || (b >= 0 && e < b)) throw new IOException(report + ": the markers of section '" + name + "' are broken; fix them by hand");
        String updated = b < 0 ? (text.isBlank() ? "# Report\n\n" : text.stripTrailing() + "\n\n") + block + "\n" : text.substring(0, b) + block + text.substring(e + end.length());
        AtomicFiles.writeString(report, updated);
    }
}
