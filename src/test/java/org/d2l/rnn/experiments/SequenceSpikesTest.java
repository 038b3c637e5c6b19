package org.d2l.rnn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** d2l 8.1's k-step curves: the single-point spikes are chains that settle elsewhere than their neighbours'. */
class SequenceSpikesTest {
    @Test
    void everySinglePointSpikeIsAChainThatSettlesApart() {
        SequenceModels.Settings s = SequenceModels.Settings.builder().setSeed(42).build();
        SequenceModels.Run run = new SequenceModels.Run(s, SequenceModels.Architecture.MLP);
        SequenceModels.Result r = run.train();
        int chains = s.length() - s.tau() - s.maxSteps() + 1;
        assertEquals(chains, r.settleCounts().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(2, r.settleCounts().size(), "the fed-back MLP settles on two values: " + r.settleCounts());
        for (int i = 0; i < SequenceModels.K_STEPS.length; i++) {
            int k = SequenceModels.K_STEPS[i];
            Set<Integer> spikes = r.spikes().stream().filter(p -> p.k() == k).map(SequenceModels.Spike::time)
                    .collect(Collectors.toSet());
            double[] p = run.kstep[i];
            int single = 0;
            for (int row = 1; row + 1 < p.length; row++) {
                if (Math.abs(p[row] - p[row - 1]) > 0.5 && Math.abs(p[row] - p[row + 1]) > 0.5) {
                    single++;
                    assertTrue(spikes.contains(s.tau() + k + row), k + "-step spike at row " + row + ": " + p[row]);
                }
            }
            if (k == 64) {
                assertTrue(single > 0, "the 64-step curve has single-point spikes to explain");
            }
        }
        assertFalse(r.spikes().isEmpty());
    }
}
