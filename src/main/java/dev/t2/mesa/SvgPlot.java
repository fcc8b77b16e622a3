package dev.t2.mesa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A self-contained SVG line plot: labelled axes with round ticks, a legend, and dashed horizontal reference lines. */
public final class SvgPlot {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
    private static final int WIDTH = 760, HEIGHT = 440, LEFT = 70, RIGHT = 210, TOP = 40, BOTTOM = 55;

    private record Series(String name, double[] x, double[] y) {}

    private record Reference(String name, double y) {}

    private final String title, xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private Double yMin, yMax;

    public SvgPlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public SvgPlot series(String name, double[] x, double[] y) {
        if (x.length != y.length || x.length == 0) throw new IllegalArgumentException(name + ": " + x.length + " x values, " + y.length + " y values");
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    public SvgPlot reference(String name, double y) {
        references.add(new Reference(name, y));
        return this;
    }

    /** Fixes the y range (values outside are clipped to the frame); by default it spans the data and references. */
    public SvgPlot yRange(double min, double max) {
        if (!(max > min)) throw new IllegalArgumentException("empty y range");
        yMin = min;
        yMax = max;
        return this;
    }

    public String render() {
        if (series.isEmpty()) throw new IllegalStateException(title + ": nothing to plot");
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.y[i])) continue;
                x0 = Math.min(x0, s.x[i]);
                x1 = Math.max(x1, s.x[i]);
                y0 = Math.min(y0, s.y[i]);
                y1 = Math.max(y1, s.y[i]);
            }
        }
        for (Reference r : references) {
            y0 = Math.min(y0, r.y);
            y1 = Math.max(y1, r.y);
        }
        if (yMin != null) {
            y0 = yMin;
            y1 = yMax;
        }
        if (x1 <= x0) x1 = x0 + 1;
        if (y1 <= y0) y1 = y0 + 1;
        double[] yTicks = ticks(y0, y1), xTicks = ticks(x0, x1);
        if (yMin == null) {
            y0 = Math.min(y0, yTicks[0]);
            y1 = Math.max(y1, yTicks[yTicks.length - 1]);
        }
        Frame f = new Frame(x0, x1, y0, y1);
        StringBuilder out = new StringBuilder();
        out.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        out.append(fmt("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, HEIGHT));
        out.append(fmt("<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>\n", LEFT, escape(title)));
        for (double t : yTicks) {
            if (t < y0 - 1e-12 || t > y1 + 1e-12) continue;
            out.append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>\n", LEFT, f.py(t), WIDTH - RIGHT, f.py(t)));
            out.append(fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT - 6, f.py(t) + 4, label(t)));
        }
        for (double t : xTicks) {
            if (t < x0 - 1e-12 || t > x1 + 1e-12) continue;
            out.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e5e5e5\"/>\n", f.px(t), TOP, f.px(t), HEIGHT - BOTTOM));
            out.append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", f.px(t), HEIGHT - BOTTOM + 18, label(t)));
        }
        out.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"black\"/>\n", LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
        out.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12, escape(xLabel)));
        out.append(fmt("<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>\n", (TOP + HEIGHT - BOTTOM) / 2,
                (TOP + HEIGHT - BOTTOM) / 2, escape(yLabel)));
        int legendY = TOP + 8;
        for (int i = 0; i < references.size(); i++) {
            Reference r = references.get(i);
            String color = i % 2 == 0 ? "#555555" : "#999999";
            if (r.y >= y0 && r.y <= y1) {
                out.append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
                        LEFT, f.py(r.y), WIDTH - RIGHT, f.py(r.y), color));
            }
            legendY = legendEntry(out, legendY, color, "6 4", r.name + " (" + label(r.y) + ")");
        }
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String color = COLORS[i % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (int j = 0; j < s.x.length; j++) {
                if (Double.isFinite(s.y[j])) pts.append(fmt("%.1f,%.1f ", f.px(s.x[j]), f.py(Math.max(y0, Math.min(y1, s.y[j])))));
            }
            out.append(fmt("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" points=\"%s\"/>\n", color, pts.toString().strip()));
            legendY = legendEntry(out, legendY, color, null, s.name);
        }
        return out.append("</svg>\n").toString();
    }

    private static int legendEntry(StringBuilder out, int y, String color, String dash, String text) {
        int x = WIDTH - RIGHT + 12;
        out.append(fmt("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", x, y, x + 22, y, color,
                dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
        out.append(fmt("<text x=\"%d\" y=\"%d\">%s</text>\n", x + 28, y + 4, escape(text)));
        return y + 18;
    }

    private record Frame(double x0, double x1, double y0, double y1) {
        double px(double x) {
            return LEFT + (x - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
        }

        double py(double y) {
            return HEIGHT - BOTTOM - (y - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM);
        }
    }

    /** About six ticks at multiples of 1, 2 or 5 × 10^k covering [lo, hi]. */
    static double[] ticks(double lo, double hi) {
        double raw = (hi - lo) / 6, mag = Math.pow(10, Math.floor(Math.log10(raw))), step;
        double norm = raw / mag;
        step = (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
        double start = Math.floor(lo / step) * step;
        int n = (int) Math.ceil((hi - start) / step - 1e-9) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = start + i * step;
        return t;
    }

    private static String label(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return Long.toString((long) v);
        String s = fmt("%.4g", v);
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
