package dev.t2.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Self-contained SVG figures for reports: line charts with reference lines, and heat-maps. */
public final class SvgChart {
    /** One line of a chart; NaN y values are gaps. */
    public record Series(String label, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException(label + ": " + x.length + " x values but " + y.length + " y values");
        }
    }

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};
    private static final int WIDTH = 640, HEIGHT = 400, LEFT = 70, RIGHT = 170, TOP = 40, BOTTOM = 55;

    private SvgChart() {}

    /** A line chart of the series, with dashed horizontal reference lines (label → y), the y range fitted to the data. */
    public static String lines(String title, String xLabel, String yLabel, List<Series> series, Map<String, Double> references) {
        return lines(title, xLabel, yLabel, series, references, Double.NaN, Double.NaN);
    }

    /** The same with a fixed y range; values outside it are clipped to its edge (NaN bounds: fitted to the data). */
    public static String lines(String title, String xLabel, String yLabel, List<Series> series, Map<String, Double> references,
                               double fixedYMin, double fixedYMax) {
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY, yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isNaN(s.y()[i])) continue;
                xMin = Math.min(xMin, s.x()[i]);
                xMax = Math.max(xMax, s.x()[i]);
                yMin = Math.min(yMin, s.y()[i]);
                yMax = Math.max(yMax, s.y()[i]);
            }
        }
        for (double r : references.values()) {
            yMin = Math.min(yMin, r);
            yMax = Math.max(yMax, r);
        }
        if (xMin > xMax) throw new IllegalArgumentException(title + ": no data to plot");
        if (!Double.isNaN(fixedYMin)) yMin = fixedYMin;
        if (!Double.isNaN(fixedYMax)) yMax = fixedYMax;
        if (xMax == xMin) xMax = xMin + 1;
        if (yMax == yMin) yMax = yMin + 1;
        double[] yTicks = ticks(yMin, yMax), xTicks = ticks(xMin, xMax);
        if (Double.isNaN(fixedYMin)) yMin = Math.min(yMin, yTicks[0]);
        if (Double.isNaN(fixedYMax)) yMax = Math.max(yMax, yTicks[yTicks.length - 1]);
        Frame f = new Frame(xMin, xMax, yMin, yMax);
        StringBuilder svg = header(title);
        axes(svg, f, xTicks, yTicks, xLabel, yLabel);
        int legend = 0;
        for (var r : references.entrySet()) {
            double y = f.py(r.getValue());
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#555' stroke-dasharray='6,4'/>%n", LEFT, y, WIDTH - RIGHT, y, y));
            legendEntry(svg, legend++, "#555", true, r.getKey());
        }
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String colour = COLOURS[k % COLOURS.length];
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isNaN(s.y()[i])) {
                    pen = false;
                    continue;
                }
                path.append(String.format(Locale.ROOT, "%s%.1f,%.1f ", pen ? "L" : "M", f.px(s.x()[i]), f.py(s.y()[i])));
                pen = true;
            }
            svg.append("<path d='").append(path).append("' fill='none' stroke='").append(colour).append("' stroke-width='1.8'/>\n");
            if (s.x().length <= 30) { // few points: mark them
                for (int i = 0; i < s.x().length; i++) {
                    if (Double.isNaN(s.y()[i])) continue;
                    svg.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='2.5' fill='%s'/>%n", f.px(s.x()[i]), f.py(s.y()[i]), colour));
                }
            }
            legendEntry(svg, legend++, colour, false, s.label());
        }
        return svg.append("</svg>\n").toString();
    }

    /**
     * A heat-map: one row per label, one cell per column value, coloured on a diverging scale centred at
     * {@code centre} (blue below, red above), clipped to ±{@code halfRange}.
     */
    public static String heatmap(String title, String xLabel, List<String> rowLabels, float[][] rows, double centre, double halfRange) {
        if (rows.length != rowLabels.size() || rows.length == 0) throw new IllegalArgumentException(title + ": " + rows.length + " rows, " + rowLabels.size() + " labels");
        int cols = 0;
        for (float[] r : rows) cols = Math.max(cols, r.length);
        int labelWidth = 190, cellH = Math.max(6, Math.min(22, 520 / rows.length)), plotW = 560;
        double cellW = plotW / (double) cols;
        int width = labelWidth + plotW + 90, height = TOP + rows.length * cellH + BOTTOM;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='11'>%n<rect width='100%%' height='100%%' fill='white'/>%n",
                width, height));
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='22' font-size='14'>%s</text>%n", labelWidth, escape(title)));
        for (int r = 0; r < rows.length; r++) {
            int y = TOP + r * cellH;
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='end'>%s</text>%n", labelWidth - 6, y + cellH - 2, escape(rowLabels.get(r))));
            for (int c = 0; c < rows[r].length; c++) {
                svg.append(String.format(Locale.ROOT, "<rect x='%.2f' y='%d' width='%.2f' height='%d' fill='%s'/>%n",
                        labelWidth + c * cellW, y, cellW + 0.05, cellH, diverging((rows[r][c] - centre) / halfRange)));
            }
        }
        int bottom = TOP + rows.length * cellH;
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>%s</text>%n", labelWidth + plotW / 2, bottom + 22, escape(xLabel)));
        for (int i = 0; i <= 4; i++) { // colour key
            double v = -1 + i * 0.5;
            int y = TOP + i * 18;
            svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='14' height='14' fill='%s'/><text x='%d' y='%d'>%s</text>%n",
                    labelWidth + plotW + 12, y, diverging(v), labelWidth + plotW + 30, y + 11, format(centre + v * halfRange)));
        }
        return svg.append("</svg>\n").toString();
    }

    private record Frame(double xMin, double xMax, double yMin, double yMax) {
        double px(double x) {
            return LEFT + (x - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT);
        }

        double py(double y) {
            double clipped = Math.max(yMin, Math.min(yMax, y));
            return HEIGHT - BOTTOM - (clipped - yMin) / (yMax - yMin) * (HEIGHT - TOP - BOTTOM);
        }
    }

    private static StringBuilder header(String title) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='11'>%n<rect width='100%%' height='100%%' fill='white'/>%n"
                        + "<text x='%d' y='22' font-size='14'>%s</text>%n", WIDTH, HEIGHT, LEFT, escape(title)));
    }

    private static void axes(StringBuilder svg, Frame f, double[] xTicks, double[] yTicks, String xLabel, String yLabel) {
        int x0 = LEFT, x1 = WIDTH - RIGHT, y0 = HEIGHT - BOTTOM, y1 = TOP;
        svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#000'/>%n", x0, y1, x1 - x0, y0 - y1));
        for (double t : yTicks) {
            if (t < f.yMin() || t > f.yMax()) continue;
            double y = f.py(t);
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#e5e5e5'/><text x='%d' y='%.1f' text-anchor='end'>%s</text>%n",
                    x0, y, x1, y, x0 - 5, y + 4, format(t)));
        }
        for (double t : xTicks) {
            if (t < f.xMin() || t > f.xMax()) continue;
            double x = f.px(t);
            svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#000'/><text x='%.1f' y='%d' text-anchor='middle'>%s</text>%n",
                    x, y0, x, y0 + 4, x, y0 + 17, format(t)));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>%s</text>%n", (x0 + x1) / 2, HEIGHT - 15, escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text transform='translate(16,%d) rotate(-90)' text-anchor='middle'>%s</text>%n", (y0 + y1) / 2, escape(yLabel)));
    }

    private static void legendEntry(StringBuilder svg, int index, String colour, boolean dashed, String label) {
        int x = WIDTH - RIGHT + 12, y = TOP + 8 + index * 18;
        svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='2'%s/><text x='%d' y='%d'>%s</text>%n",
                x, y, x + 22, y, colour, dashed ? " stroke-dasharray='6,4'" : "", x + 28, y + 4, escape(label)));
    }

    /** About five round tick values covering [lo, hi]. */
    static double[] ticks(double lo, double hi) {
        double raw = (hi - lo) / 5, magnitude = Math.pow(10, Math.floor(Math.log10(raw))), step;
        double n = raw / magnitude;
        step = (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * magnitude;
        double first = Math.floor(lo / step) * step;
        int count = (int) Math.ceil((hi - first) / step - 1e-9) + 1;
        double[] t = new double[count];
        for (int i = 0; i < count; i++) t[i] = first + i * step;
        return t;
    }

    /** v in [-1, 1] (clipped) → blue … white … red. */
    static String diverging(double v) {
        double t = Math.max(-1, Math.min(1, Double.isNaN(v) ? 0 : v));
        int r, g, b;
        if (t < 0) {
            r = (int) Math.round(255 + t * (255 - 33));
            g = (int) Math.round(255 + t * (255 - 102));
            b = (int) Math.round(255 + t * (255 - 172));
        } else {
            r = (int) Math.round(255 - t * (255 - 178));
            g = (int) Math.round(255 - t * (255 - 24));
            b = (int) Math.round(255 - t * (255 - 43));
        }
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return Long.toString((long) v);
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : Math.abs(v) >= 0.1 ? "%.2f" : "%.3g", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }
}
