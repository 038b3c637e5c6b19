package org.d2l.rnn.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * d2l's (and PyTorch's) inverted dropout factors: each entry kept with probability 1 − p and then scaled by
 * 1 / (1 − p), dropped entries 0. Drawn from ND4J's RNG, so a seeded run draws the same factors; both decoder
 * engines ({@link GruStack} and the SameDiff decoder) draw theirs here, in the same order and layout, so they see
 * the same masks for the same seed.
 */
public final class InvertedDropout {
    private InvertedDropout() {
    }

    /** Fills {@code mask} (a contiguous buffer) with new factors for drop probability {@code p} in (0, 1); returns it. */
    public static INDArray fill(INDArray mask, double p) {
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1 - p));
        return mask.divi(1 - p);
    }
}
