package org.d2l.rnn.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * n-gram frequencies of a token stream (d2l 8.3) and a fit of Zipf's law, log f(rank) = -s log rank + c.
 */
public final class NGramStats {
    /** d2l: "after dealing with the first few words as exceptions, the rest follow a straight line". */
    public static final int FIT_SKIP_HEAD = 10;

    private NGramStats() {
    }

    /** n-grams joined with a space, most frequent first, ties in first-appearance order (as d2l's Vocab). */
    public static List<Map.Entry<String, Integer>> frequencies(List<String> tokens, int n) {
        List<String> grams = new ArrayList<>(Math.max(0, tokens.size() - n + 1));
        for (int i = 0; i + n <= tokens.size(); i++) {
            grams.add(String.join(" ", tokens.subList(i, i + n)));
        }
        return Vocab.countByFrequency(grams);
    }

    /**
     * Least-squares slope of log(frequency) against log(rank), negated: the Zipf exponent s. The head
     * (first {@link #FIT_SKIP_HEAD} ranks) and the tail of n-grams seen only once are left out: the tail is a
     * flat staircase that would drag the slope towards zero whatever the law is.
     */
    public static ZipfFit fitZipf(List<Map.Entry<String, Integer>> freqs) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int rank = FIT_SKIP_HEAD + 1; rank <= freqs.size(); rank++) {
            int f = freqs.get(rank - 1).getValue();
            if (f < 2) {
                break;
            }
            double x = Math.log(rank);
            double y = Math.log(f);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            n++;
        }
        if (n < 2) {
            return new ZipfFit(Double.NaN, Double.NaN, n);
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double intercept = (sy - slope * sx) / n;
        return new ZipfFit(-slope, intercept, n);
    }

    /** Zipf exponent s, intercept c (natural logs) and how many ranks the fit used. */
    public record ZipfFit(double exponent, double intercept, int points) {
    }
}
