package org.d2l.rnn.text;

import java.util.List;
import java.util.Map;

/** Unigram, bigram and trigram frequencies of a token stream and their fitted Zipf exponents (d2l 8.3). */
public record ZipfAnalysis(List<List<Map.Entry<String, Integer>>> frequencies, List<NGramStats.ZipfFit> fits) {
    public static final List<String> NAMES = List.of("unigram", "bigram", "trigram");

    public static ZipfAnalysis of(List<String> tokens) {
        List<List<Map.Entry<String, Integer>>> freqs = List.of(
                NGramStats.frequencies(tokens, 1), NGramStats.frequencies(tokens, 2), NGramStats.frequencies(tokens, 3));
        return new ZipfAnalysis(freqs, freqs.stream().map(NGramStats::fitZipf).toList());
    }

    /** Frequencies of n-grams of order {@code n} (1..3), most frequent first. */
    public List<Map.Entry<String, Integer>> of(int n) {
        return frequencies.get(n - 1);
    }

    public double exponent(int n) {
        return fits.get(n - 1).exponent();
    }
}
