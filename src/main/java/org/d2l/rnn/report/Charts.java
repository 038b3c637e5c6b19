package org.d2l.rnn.report;

import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** d2l-style line plots (d2l.plot) with XChart. */
public final class Charts {
    private Charts() {
    }

    /**
     * Ten colours that differ (matplotlib's tab10, d2l's default): XChart's own theme has a yellow and an orange that
     * are hard to tell apart.
     */
    static final java.awt.Color[] PALETTE = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e),
            new java.awt.Color(0x2ca02c), new java.awt.Color(0xd62728), new java.awt.Color(0x9467bd),
            new java.awt.Color(0x8c564b), new java.awt.Color(0xe377c2), new java.awt.Color(0x7f7f7f),
            new java.awt.Color(0xbcbd22), new java.awt.Color(0x17becf)};

    /** A curve whose values span more than this factor is drawn on a log y-axis (else the tail lies flat on zero). */
    static final double LOG_Y_SPAN = 10;

    /**
     * One named series of a line plot; a dashed one (a reference run) takes a darker shade of the colour of the solid
     * series before it, so a run and its reference read as a pair.
     */
    public record Series(String name, double[] x, double[] y, boolean dashed) {
        public Series(String name, double[] x, double[] y) {
            this(name, x, y, false);
        }

        public static Series of(String name, double[] y) {
            return of(name, 1, y);
        }

        /** {@code y[i]} at x = {@code firstX + i}: e.g. epochs of a resumed run, which start after the checkpoint's. */
        public static Series of(String name, int firstX, double[] y) {
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = firstX + i;
            }
            return new Series(name, x, y);
        }

        public Series asDashed() {
            return new Series(name, x, y, true);
        }
    }

    public static XYChart lines(String title, String xLabel, String yLabel, List<Series> series) {
        return lines(title, xLabel, yLabel, series, false);
    }

    /**
     * A line plot with a numeric x-axis, a log y-axis where the values span more than {@link #LOG_Y_SPAN}×, distinct
     * colours, and the legend below the plot (never over a curve). Where curves coincide, the earlier one is drawn
     * wider, so the one on top leaves it visible at both edges.
     */
    public static XYChart lines(String title, String xLabel, String yLabel, List<Series> series, boolean logLog) {
        // the legend lists one entry per line below the plot (a horizontal one is cut off at the chart's edge when the
        // labels are long), and the chart grows by its height so the plot keeps its size
        int legendLines = series.size() > 1 ? series.size() : 0;
        XYChart chart = new XYChartBuilder().width(720).height(440 + 18 * legendLines).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setXAxisLogarithmic(logLog);
        if (logLog) { // as the y-axis below: labels between the powers of ten over a narrow range (k = 1 … 64)
            double[] x = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x()))
                    .filter(v -> Double.isFinite(v) && v > 0).sorted().toArray();
            chart.getStyler().setXAxisLogarithmicDecadeOnly(x.length == 0 || x[x.length - 1] / x[0] > DECADE_LABELS_SPAN);
        }
        boolean logY = logLog || spansDecades(series);
        chart.getStyler().setYAxisLogarithmic(logY);
        if (logY) {
            logYAxis(chart, series);
        }
        chart.getStyler().setLegendVisible(series.size() > 1);
        int colour = -1;
        int solid = 0;
        for (Series s : series) {
            XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
            xy.setMarker(SeriesMarkers.NONE);
            if (!s.dashed() || colour < 0) {
                colour = (colour + 1) % PALETTE.length;
            }
            // a reference that coincides with its run stays visible: dashed, darker and thinner on top of it
            xy.setLineColor(s.dashed() ? PALETTE[colour].darker().darker() : PALETTE[colour]);
            if (s.dashed()) {
                xy.setLineStyle(new java.awt.BasicStroke(1.6f, java.awt.BasicStroke.CAP_BUTT,
                        java.awt.BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
            } else {
                xy.setLineWidth(Math.max(1.4f, 3.4f - 0.6f * solid++));
            }
        }
        if (!logLog) {
            numericXAxis(chart, series);
        }
        return chart;
    }

    /** Above this ratio of largest to smallest value, a log axis is labelled at powers of ten only. */
    static final double DECADE_LABELS_SPAN = 100;
    /** The margin above and below the data on a log axis, as a share of its span in decades. */
    static final double LOG_MARGIN = 0.05;

    /**
     * A log y-axis that labels a narrow range and keeps every point inside the frame. XChart labels a log axis at
     * powers of ten only, so data within one or two decades (0.047 to 0.45) got a single label; below
     * {@link #DECADE_LABELS_SPAN}× it labels 1-9 × 10^n. And it ends the axis at the data's extremes, where a line
     * ending at the largest value is drawn half outside the frame; a margin of {@link #LOG_MARGIN} of the span in
     * decades at each end keeps it inside.
     */
    private static void logYAxis(XYChart chart, List<Series> series) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Series s : series) {
            for (double v : s.y()) {
                if (Double.isFinite(v) && v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!(max > min)) {
            return;
        }
        chart.getStyler().setYAxisLogarithmicDecadeOnly(max / min > DECADE_LABELS_SPAN);
        double margin = Math.pow(max / min, LOG_MARGIN);
        chart.getStyler().setYAxisMin(min / margin);
        chart.getStyler().setYAxisMax(max * margin);
    }

    /** Whether every value is positive and the largest is more than {@link #LOG_Y_SPAN}× the smallest. */
    static boolean spansDecades(List<Series> series) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Series s : series) {
            for (double v : s.y()) {
                if (!Double.isFinite(v)) {
                    continue;
                }
                if (v <= 0) {
                    return false;
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return max > LOG_Y_SPAN * min;
    }

    /**
     * XChart 3.8 labels equally spaced x values as categories (every data point a candidate tick: "1 12 23 34 …",
     * which run together past 100 epochs). One invisible point half a step after the first breaks the equal spacing,
     * so the axis gets round numeric ticks (0, 50, 100, …); it lies inside the data's range and moves no bound.
     */
    private static void numericXAxis(XYChart chart, List<Series> series) {
        Series first = series.stream().filter(s -> s.x().length > 1).findFirst().orElse(null);
        if (first == null) {
            return;
        }
        double x = first.x()[0] + (first.x()[1] - first.x()[0]) / 2;
        double y = java.util.Arrays.stream(first.y()).filter(Double::isFinite).findFirst().orElse(Double.NaN);
        if (Double.isNaN(y)) {
            return;
        }
        XYSeries pad = chart.addSeries(" ", new double[] {x}, new double[] {y});
        pad.setShowInLegend(false);
        pad.setMarker(SeriesMarkers.NONE);
        pad.setLineColor(new java.awt.Color(0, 0, 0, 0));
    }

    /**
     * Memory against a numeric epoch axis (whole epochs on the ticks), legend outside the plot so it never hides
     * a curve.
     */
    public static XYChart byEpoch(String title, String yLabel, List<Series> series) {
        XYChart chart = lines(title, "epoch", yLabel, series, false);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setLegendVisible(true);
        return chart;
    }

    /** A histogram drawn as a step-less bar outline: bin centres against counts. */
    public static XYChart bars(String title, String xLabel, String yLabel, List<Series> series) {
        XYChart chart = lines(title, xLabel, yLabel, series, false);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        return chart;
    }

    /**
     * Grouped bars: one group per category, one bar per series (e.g. ours vs PyTorch per config); the legend sits
     * below the plot, where it cannot cover the tallest bars.
     */
    public static org.knowm.xchart.CategoryChart groupedBars(String title, String yLabel, List<String> categories,
                                                             java.util.Map<String, List<Double>> series) {
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(820).height(440)
                .title(title).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisLabelRotation(30);
        series.forEach((name, values) -> chart.addSeries(name, categories, values));
        return chart;
    }
}
