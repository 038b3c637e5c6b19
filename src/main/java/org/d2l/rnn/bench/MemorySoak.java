package org.d2l.rnn.bench;

import org.d2l.rnn.io.RunResult;

/**
 * A soak run's memory: the resident set and its part outside the Java heap after every epoch, and how fast each
 * still grows once warmed up — the least-squares slope over the epochs after {@code warmUpEpochs}, in MiB per
 * epoch. A flat process has slopes near 0; a leak shows as a steady positive slope, however noisy single epochs are.
 *
 * <p>Why a slope and not first-vs-last: the JVM and the native allocators grow in steps (heap regions, arenas), so
 * two single epochs can differ by a step either way; a fit over all the epochs after warm-up is not fooled by one.
 */
public record MemorySoak(String model, boolean detached, int epochs, int warmUpEpochs, double perplexity,
                         double secondsPerEpoch, double residentAfterWarmUpMib, double residentAtEndMib,
                         double outsideHeapAfterWarmUpMib, double outsideHeapAtEndMib, double residentSlopeMibPerEpoch,
                         double outsideHeapSlopeMibPerEpoch, double[] residentMibByEpoch,
                         double[] outsideHeapMibByEpoch) implements RunResult {

    /** From the per-epoch measurements of one run; the slopes need at least two epochs after the warm-up. */
    public static MemorySoak of(String model, boolean detached, int warmUpEpochs, double perplexity, double seconds,
                                double[] residentMib, double[] outsideHeapMib) {
        int epochs = residentMib.length;
        if (warmUpEpochs < 0 || epochs - warmUpEpochs < 2) {
            throw new IllegalArgumentException("a slope needs two epochs after the warm-up of " + warmUpEpochs
                    + "; the run measured " + epochs);
        }
        int last = epochs - 1;
        int afterWarmUp = Math.max(0, warmUpEpochs - 1);
        return new MemorySoak(model, detached, epochs, warmUpEpochs, perplexity, seconds / epochs,
                residentMib[afterWarmUp], residentMib[last], outsideHeapMib[afterWarmUp], outsideHeapMib[last],
                slope(residentMib, warmUpEpochs), slope(outsideHeapMib, warmUpEpochs), residentMib, outsideHeapMib);
    }

    /** Least-squares slope of {@code y[from..]} against the epoch number, per epoch. */
    public static double slope(double[] y, int from) {
        int n = y.length - from;
        if (n < 2) {
            throw new IllegalArgumentException("a slope needs at least two points, got " + n);
        }
        double meanX = 0;
        double meanY = 0;
        for (int i = from; i < y.length; i++) {
            meanX += i;
            meanY += y[i];
        }
        meanX /= n;
        meanY /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = from; i < y.length; i++) {
            sxy += (i - meanX) * (y[i] - meanY);
            sxx += (i - meanX) * (i - meanX);
        }
        return sxy / sxx;
    }
}
