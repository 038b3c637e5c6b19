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
