package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link FlatVectors} against ND4J's scalar multiply and norm2. */
class FlatVectorsTest {

    @Test
    void scalesAsNd4jAndReturnsTheNormOfTheResult() {
        Nd4j.getRandom().setSeed(11);
        // a tail only, whole vectors with a tail, several blocks of squares, an LSTM-256's gradient size
        for (int n : new int[] {3, 37, 3 * 1024 + 5, 300_007}) {
            INDArray v = Nd4j.randn(DataType.FLOAT, 1, n);
            INDArray nd4j = v.dup().muli(0.37);
            double expectedNorm = nd4j.castTo(DataType.DOUBLE).norm2Number().doubleValue();
            double norm = FlatVectors.scaleAndNorm(v, 0.37);
            assertArrayEquals(nd4j.toFloatVector(), v.toFloatVector(), "scaled, n = " + n);
            assertEquals(expectedNorm, norm, expectedNorm * 1e-6, "norm, n = " + n);

            INDArray again = nd4j.dup().muli(1.9);
            FlatVectors.scale(v, 1.9);
            assertArrayEquals(again.toFloatVector(), v.toFloatVector(), "scale, n = " + n);
        }
    }

    @Test
    void otherArraysTakeNd4jsOps() {
        INDArray strided = Nd4j.randn(DataType.FLOAT, 'f', 2, 40).getRow(1, true);
        INDArray doubles = Nd4j.randn(DataType.DOUBLE, 1, 40);
        for (INDArray v : new INDArray[] {strided, doubles}) {
            INDArray expected = v.dup().muli(2.5);
            double norm = FlatVectors.scaleAndNorm(v, 2.5);
            assertArrayEquals(expected.toDoubleVector(), v.toDoubleVector());
            assertEquals(expected.norm2Number().doubleValue(), norm);
        }
    }
}
