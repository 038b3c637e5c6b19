package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link PlanKernels}' tile and tile_bp (the SameDiff decoder's context repeated over its steps) against libnd4j's
 * tile and against the sum over the repeated blocks, for one float per row (the decoder's case) and for wider rows.
 */
class TileKernelTest {
    @ParameterizedTest
    @CsvSource({"64, 32, 1, 10", "4, 3, 8, 3", "5, 2, 5, 1"})
    void tileAndItsBackwardPassGiveLibnd4jsResults(int batch, int hidden, int width, int times) {
        Nd4j.getRandom().setSeed(7);
        INDArray part = Nd4j.rand(DataType.FLOAT, batch, hidden, width).subi(0.5);
        long[] reps = {1, 1, times};
        INDArray whole = Nd4j.create(DataType.FLOAT, batch, hidden, (long) width * times).assign(Float.NaN);
        PlanKernels kernels = new PlanKernels();
        PlanKernels.Kernel tile = kernels.bind("tile", reps, new double[0], new INDArray[]{part},
                new INDArray[]{whole}, new boolean[]{true});
        assertNotNull(tile);
        tile.run();
        INDArray reference = Nd4j.tile(part, 1, 1, times);
        assertEquals(0, whole.sub(reference).amaxNumber().doubleValue(), 0);

        INDArray eps = Nd4j.rand(DataType.FLOAT, whole.shape()).subi(0.5);
        INDArray dPart = Nd4j.create(DataType.FLOAT, part.shape()).assign(Float.NaN);
        PlanKernels.Kernel backward = kernels.bind("tile_bp", reps, new double[0], new INDArray[]{part, eps},
                new INDArray[]{dPart}, new boolean[]{true});
        assertNotNull(backward);
        backward.run();
        INDArray sum = eps.reshape('c', batch, hidden, times, width).sum(2);
        assertEquals(0, dPart.sub(sum).amaxNumber().doubleValue(), 1e-6);
    }

    @Test
    void otherRepetitionsAreLeftToLibnd4j() {
        INDArray part = Nd4j.rand(DataType.FLOAT, 4, 3, 1);
        INDArray whole = Nd4j.create(DataType.FLOAT, 8, 3, 1);
        assertNull(new PlanKernels().bind("tile", new long[]{2, 1, 1}, new double[0], new INDArray[]{part},
                new INDArray[]{whole}, new boolean[]{true}));
    }
}
