package dev.t2.mesa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SvgPlotTest {
    @Test
    void writesWellFormedSvgWithSeriesLegendAxesAndReferenceLines() throws Exception {
        String svg = new SvgPlot("Loss <test>", "training step", "loss")
                .series("linear-1", new double[] {1, 2, 3}, new double[] {1.7, 1.0, 0.9})
                .series("mesa-1", new double[] {1, 2, 3}, new double[] {1.6, 0.5, Double.NaN})
                .reference("one GD step", 0.9).reference("least squares", 0.18).render();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2);
        assertThat(svg).contains("Loss &lt;test&gt;", "training step", "linear-1", "mesa-1", "one GD step (0.9)", "least squares (0.18)", "stroke-dasharray");
        // the NaN point is left out, not drawn at a bogus place
        String mesaLine = doc.getElementsByTagName("polyline").item(1).getAttributes().getNamedItem("points").getNodeValue();
        assertThat(mesaLine.split(" ")).hasSize(2);
    }

    @Test
    void ticksAreRoundAndCoverTheRange() {
        assertThat(SvgPlot.ticks(0.18, 1.71)).containsExactly(0, 0.2, 0.4, 0.6000000000000001, 0.8, 1, 1.2000000000000002, 1.4000000000000001, 1.6, 1.8);
        assertThat(SvgPlot.ticks(1, 400)).startsWith(0.0).endsWith(400.0);
    }

    @Test
    void mismatchedSeriesAreRefused() {
        assertThatThrownBy(() -> new SvgPlot("t", "x", "y").series("s", new double[2], new double[3])).hasMessageContaining("2 x values, 3 y values");
        assertThatThrownBy(() -> new SvgPlot("t", "x", "y").render()).hasMessageContaining("nothing to plot");
    }
}
