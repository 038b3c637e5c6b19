package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

/** {@link VectorAdamUpdater} against ND4J's Adam op: the same update and state, bit for bit, at every iteration. */
class VectorAdamUpdaterTest {

    @Test
    void everyIterationEqualsNd4jsAdamBitForBit() {
        assertTrue(VectorAdamUpdater.available(), "the tests run with the vector API on the CPU backend");
        // 4,103 floats: whole vectors and a tail; the bias correction's rounding changes with the iteration
        for (Adam config : new Adam[] {new Adam(0.005), new Adam(0.1, 0.8, 0.99, 1e-6)}) {
            int n = 4103;
            INDArray stateNd4j = Nd4j.zeros(DataType.FLOAT, 1, 2 * n);
            INDArray stateOurs = stateNd4j.dup();
            AdamUpdater nd4j = (AdamUpdater) config.instantiate(stateNd4j, true);
            AdamUpdater ours = new VectorAdamUpdater((AdamUpdater) config.instantiate(stateOurs, true));
            Nd4j.getRandom().setSeed(7);
            for (int iteration = 0; iteration < 1500; iteration++) {
                INDArray gradient = Nd4j.randn(DataType.FLOAT, 1, n).muli(iteration % 2 == 0 ? 0.1 : 3);
                INDArray gradientNd4j = gradient.dup();
                nd4j.applyUpdater(gradientNd4j, iteration, 0);
                ours.applyUpdater(gradient, iteration, 0);
                assertArrayEquals(gradientNd4j.toFloatVector(), gradient.toFloatVector(), "update, iteration " + iteration);
                assertArrayEquals(stateNd4j.toFloatVector(), stateOurs.toFloatVector(), "m and v, iteration " + iteration);
            }
        }
    }

    @Test
    void aStridedGradientGoesToNd4jsOpAndAContiguousOneToTheLoop() {
        int n = 37;
        Adam config = new Adam(0.01);
        INDArray stateNd4j = Nd4j.rand(DataType.FLOAT, 1, 2 * n);
        INDArray stateOurs = stateNd4j.dup();
        AdamUpdater nd4j = (AdamUpdater) config.instantiate(stateNd4j, false);
        AdamUpdater ours = new VectorAdamUpdater((AdamUpdater) config.instantiate(stateOurs, false));
        INDArray strided = Nd4j.randn(DataType.FLOAT, 'f', 2, n).getRow(0, true); // [1, n], 2 floats apart
        assertEquals(2, strided.stride(1));
        for (INDArray g : new INDArray[] {strided, strided.dup()}) {
            INDArray expected = g.dup();
            nd4j.applyUpdater(expected, 3, 0);
            ours.applyUpdater(g, 3, 0);
            assertArrayEquals(expected.toFloatVector(), g.toFloatVector());
            assertArrayEquals(stateNd4j.toFloatVector(), stateOurs.toFloatVector());
        }
    }
}
