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

    /** One named series of a line plot. */
    public record Series(String name, double[] x, double[] y) {
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
    }

    public static XYChart lines(String title, String xLabel, String yLabel, List<Series> series) {
        return lines(title, xLabel, yLabel, series, false);
    }

    public static XYChart lines(String title, String xLabel, String yLabel, List<Series> series, boolean logLog) {
        XYChart chart = new XYChartBuilder().width(720).height(440).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisLogarithmic(logLog);
        chart.getStyler().setYAxisLogarithmic(logLog);
        chart.getStyler().setLegendVisible(series.size() > 1);
        for (Series s : series) {
            XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
            xy.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /**
     * Memory against a numeric epoch axis (whole epochs on the ticks), legend outside the plot so it never hides
     * a curve.
     */
    public static XYChart byEpoch(String title, String yLabel, List<Series> series) {
        XYChart chart = lines(title, "epoch", yLabel, series, false);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
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
