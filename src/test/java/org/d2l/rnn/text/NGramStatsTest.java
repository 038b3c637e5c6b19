package org.d2l.rnn.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NGramStatsTest {
    @Test
    void countsBigramsInOrder() {
        List<Map.Entry<String, Integer>> f = NGramStats.frequencies(List.of("a", "b", "a", "b", "c"), 2);
        assertEquals("a b", f.get(0).getKey());
        assertEquals(2, f.get(0).getValue());
        assertEquals(List.of("a b", "b a", "b c"), f.stream().map(Map.Entry::getKey).toList());
        assertEquals(List.of(), NGramStats.frequencies(List.of("a"), 2));
    }

    @Test
    void fitsAnExactPowerLaw() {
        List<Map.Entry<String, Integer>> f = new ArrayList<>();
        for (int r = 1; r <= 2000; r++) {
            f.add(new AbstractMap.SimpleEntry<>("t" + r, (int) Math.round(1e6 / Math.pow(r, 1.5))));
        }
        NGramStats.ZipfFit fit = NGramStats.fitZipf(f);
        assertEquals(1.5, fit.exponent(), 0.01);
    }
}
