package dev.t2.util;

import dev.t2.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One section of a shared Markdown report, between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}: written by
 * replacing only that span (appended when absent, the file created when missing), so several writers share a file.
 */
public final class ReportSection {
    private ReportSection() {}

    public static void write(Path report, String name, String body) {
        String begin = "<!-- " + name + ":begin -->", end = "<!-- " + name + ":end -->";
        String section = begin + "\n" + body.strip() + "\n" + end;
        try {
            String old = Files.isRegularFile(report) ? Files.readString(report) : "";
            int b = old.indexOf(begin), e = old.indexOf(end);
            String updated;
            if (b >= 0 && e > b) {
                updated = old.substring(0, b) + section + old.substring(e + end.length());
            } else if (b >= 0 || e >= 0) {
                throw new IllegalArgumentException(report + ": only one of the markers " + begin + " and " + end + " is present; fix the file by hand");
            } else {
                updated = old.isEmpty() ? section + "\n" : old.stripTrailing() + "\n\n" + section + "\n";
            }
            AtomicFiles.writeString(report, updated);
        } catch (IOException ex) {
            throw new UncheckedIOException(report + ": " + ex.getMessage(), ex);
        }
    }
}
