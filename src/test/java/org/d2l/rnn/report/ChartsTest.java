package org.d2l.rnn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.d2l.rnn.report.Charts.Series;
import org.junit.jupiter.api.Test;

class ChartsTest {
    /** A curve over more than a decade gets a log y-axis; one within a decade, or through zero, a linear one. */
    @Test
    void logYAxisWhereACurveSpansMoreThanTenfold() {
        assertTrue(Charts.lines("t", "epoch", "ppl", List.of(Series.of("a", new double[] {800, 30, 1.02})))
                .getStyler().isYAxisLogarithmic());
        assertFalse(Charts.lines("t", "epoch", "ppl", List.of(Series.of("a", new double[] {9, 3, 1.02})))
                .getStyler().isYAxisLogarithmic());
        assertFalse(Charts.lines("t", "time", "x", List.of(Series.of("a", new double[] {-1, 0.001, 50})))
                .getStyler().isYAxisLogarithmic());
    }

    /** Curves get colours that differ, and a reference (dashed) a darker shade of its run's. */
    /**
     * The sine-rnn exercise's k-step errors (0.047 to 0.45, log-log): labels between the powers of ten, and the axis
     * reaching past both extremes so no point lies on or outside the frame.
     */
    @Test
    void narrowLogAxisHasLabelsAndKeepsPointsInside() {
        var chart = Charts.lines("t", "k", "MSE", List.of(new Series("MLP", new double[] {1, 4, 16, 64},
                new double[] {0.0479, 0.0549, 0.0923, 0.3759}), new Series("RNN", new double[] {1, 4, 16, 64},
                new double[] {0.0472, 0.0555, 0.1113, 0.4486})), true);
        assertFalse(chart.getStyler().isYAxisLogarithmicDecadeOnly(), "one decade: labels at 1-9 x 10^n");
        assertTrue(chart.getStyler().getYAxisMin() < 0.0472 && chart.getStyler().getYAxisMax() > 0.4486);
        var wide = Charts.lines("t", "epoch", "ppl", List.of(Series.of("a", new double[] {2.1e9, 30, 1.02})));
        assertTrue(wide.getStyler().isYAxisLogarithmicDecadeOnly(), "nine decades: powers of ten only");
    }

    @Test
    void distinctColoursAndReferenceShades() {
        var chart = Charts.lines("t", "epoch", "ppl", List.of(Series.of("a", new double[] {3, 2}),
                Series.of("ref", new double[] {3, 2}).asDashed(), Series.of("b", new double[] {3, 1})));
        var a = chart.getSeriesMap().get("a").getLineColor();
        var ref = chart.getSeriesMap().get("ref").getLineColor();
        var b = chart.getSeriesMap().get("b").getLineColor();
        assertNotEquals(a, b);
        assertEquals(a.darker().darker(), ref);
        assertFalse(chart.getSeriesMap().get(" ").isShowInLegend(), "the numeric-axis point stays out of the legend");
    }
}
