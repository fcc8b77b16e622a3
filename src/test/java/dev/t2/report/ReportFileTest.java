package dev.t2.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sections of REPORT.md are replaced in place; the SVG figures are well-formed and put points where they belong. */
class ReportFileTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingReportIsCreatedWithItsTitle() throws Exception {
        Path report = tmp.resolve("new/REPORT.md");
        java.nio.file.Files.createDirectories(report.getParent());
        ReportFile.replaceSection(report, "mesa", "numbers");
        assertThat(Files.readString(report)).isEqualTo("# Report\n\n<!-- mesa:begin -->\nnumbers\n<!-- mesa:end -->\n");
    }

    @Test
    void aSectionIsAddedThenReplacedWithoutTouchingTheOthers() throws Exception {
        Path report = tmp.resolve("REPORT.md");
        Files.writeString(report, "# Report\n\nintro\n\n<!-- mesa:begin -->\nmesa numbers\n<!-- mesa:end -->\n\ntail\n");
        ReportFile.replaceSection(report, "t2", "first");
        ReportFile.replaceSection(report, "t2", "second");
        String text = Files.readString(report);
        assertThat(text).contains("<!-- mesa:begin -->\nmesa numbers\n<!-- mesa:end -->").contains("tail\n")
                .contains("<!-- t2:begin -->\nsecond\n<!-- t2:end -->").doesNotContain("first");
        ReportFile.replaceSection(report, "mesa", "new mesa");
        assertThat(Files.readString(report)).contains("<!-- mesa:begin -->\nnew mesa\n<!-- mesa:end -->").contains("second").startsWith("# Report");
        Files.writeString(report, "<!-- t2:end -->\n<!-- t2:begin -->\n");
        assertThatThrownBy(() -> ReportFile.replaceSection(report, "t2", "x")).hasMessageContaining("markers of section 't2' are broken");
    }

    @Test
    void lineChartsAndHeatmapsAreWellFormedSvg() throws Exception {
        String chart = SvgChart.lines("loss <a&b>", "step", "loss", List.of(new SvgChart.Series("model", new double[] {0, 1, 2}, new double[] {1.5, Double.NaN, 0.5})),
                Map.of("GD", 0.9));
        var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        var doc = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(chart.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(chart).contains("loss &lt;a&amp;b&gt;").contains(">GD<").contains(">model<");
        // the NaN splits the line into two moves; two points are marked
        var path = doc.getElementsByTagName("path").item(0).getAttributes().getNamedItem("d").getNodeValue();
        assertThat(path.chars().filter(c -> c == 'M').count()).isEqualTo(2);
        assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(2);
        String heat = SvgChart.heatmap("z", "index", List.of("a", "b"), new float[][] {{1f, 2f}, {0f, 1f}}, 1, 1);
        var heatDoc = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(heat.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(heatDoc.getElementsByTagName("rect").getLength()).isEqualTo(1 + 4 + 5); // background, cells, colour key
        assertThat(heat).contains("fill='#b2182b'").contains("fill='#2166ac'").contains("fill='#ffffff'"); // above, below, at the centre
    }

    @Test
    void ticksAreRoundAndCoverTheRange() {
        double[] t = SvgChart.ticks(0.18, 1.68);
        assertThat(t[0]).isEqualTo(0);
        assertThat(t[t.length - 1]).isGreaterThanOrEqualTo(1.68).isLessThan(2.1);
        assertThat(t[1] - t[0]).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(SvgChart.ticks(0, 1200)).containsExactly(0, 200, 400, 600, 800, 1000, 1200);
    }
}
