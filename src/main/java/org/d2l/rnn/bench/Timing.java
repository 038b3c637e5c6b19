package org.d2l.rnn.bench;

import java.util.Arrays;

/**
 * Runs a step after a warm-up in several timed windows and keeps the median window: robust to a burst of other
 * work on a shared machine, which a mean is not.
 *
 * @param msPerIterByWindow mean milliseconds per step of each window
 */
public record Timing(double[] msPerIterByWindow) {

    public static Timing of(Runnable step, int warmup, int windows, int iterationsPerWindow) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        double[] ms = new double[windows];
        for (int w = 0; w < windows; w++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iterationsPerWindow; i++) {
                step.run();
            }
            ms[w] = (System.nanoTime() - t0) / 1e6 / iterationsPerWindow;
        }
        return new Timing(ms);
    }

    public double medianMsPerIter() {
        double[] sorted = msPerIterByWindow.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
