package org.d2l.rnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MemorySoakTest {
    @Test
    void slopeIsTheLeastSquaresGrowthPerEpochAfterTheWarmUp() {
        // a warm-up jump, then 2 MiB per epoch in steps (as allocators grow); the fit is 1.83 here, where the first
        // and last epoch alone would say (409 - 401) / 5 = 1.6
        double[] y = {100, 300, 401, 401, 405, 405, 409, 409};
        assertEquals(1.83, MemorySoak.slope(y, 2), 0.01);
        assertEquals(0.0, MemorySoak.slope(new double[]{5, 7, 7, 7, 7}, 1), 1e-12);
        MemorySoak soak = MemorySoak.of("rnn", true, 2, 3.0, 16.0, y, new double[]{1, 2, 3, 4, 5, 6, 7, 8});
        assertEquals(300, soak.residentAfterWarmUpMib());
        assertEquals(409, soak.residentAtEndMib());
        assertEquals(1.0, soak.outsideHeapSlopeMibPerEpoch(), 1e-12);
        assertEquals(2.0, soak.secondsPerEpoch(), 1e-12);
    }

    @Test
    void aSlopeNeedsTwoEpochsAfterTheWarmUp() {
        assertThrows(IllegalArgumentException.class, () -> MemorySoak.of("rnn", true, 3, 1, 1, new double[4], new double[4]));
    }
}
