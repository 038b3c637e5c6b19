package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ScratchRecurrentLayer's epsilon copy against ND4J's assign and multiply, in every layout DL4J may hand over. */
class ScaledRowCopyTest {
    private static final int B = 5;
    private static final int H = 7;
    private static final int T = 6;

    /** Epsilon [B, H, T] with the same values laid out four ways. */
    private static INDArray[] layouts(INDArray values) {
        INDArray timeMajor = values.permute(2, 0, 1).dup('c').permute(1, 2, 0); // strides [H, 1, B·H]: the fused output's
        INDArray offset = Nd4j.rand(DataType.FLOAT, B + 2, H, T).get(interval(1, B + 1), all(), all()).assign(values);
        return new INDArray[]{values.dup('c'), values.dup('f'), timeMajor, offset};
    }

    @Test
    void writesScaleTimesEpsilonAndZerosTheExtraColumnsInEveryLayout() {
        INDArray values = Nd4j.rand(DataType.FLOAT, B, H, T).subi(0.5);
        float[][] stages = {new float[0], new float[0]};
        HostBuffers host = new HostBuffers();
        for (int extra : new int[]{0, 3}) {
            for (INDArray epsilon : layouts(values)) {
                INDArray expected = Nd4j.zeros(DataType.FLOAT, B, H, T + extra);
                expected.get(all(), all(), interval(0, T)).assign(values).muli(0.5);
                INDArray placeholder = Nd4j.rand(DataType.FLOAT, B, H, T + extra); // stale values must go
                assertTrue(ScratchRecurrentLayer.scaledRowCopy(epsilon, placeholder, 0.5, host, stages));
                assertArrayEquals(expected.data().asFloat(), placeholder.data().asFloat(), 0f,
                        "strides " + java.util.Arrays.toString(epsilon.stride()) + ", " + extra + " extra columns");
            }
        }
    }

    @Test
    void leavesWhatItCannotCopyToNd4j() {
        HostBuffers host = new HostBuffers();
        float[][] stages = {new float[0], new float[0]};
        INDArray placeholder = Nd4j.zeros(DataType.FLOAT, B, H, T);
        assertFalse(ScratchRecurrentLayer.scaledRowCopy(Nd4j.rand(DataType.DOUBLE, B, H, T), placeholder, 0.5, host,
                stages), "double");
        assertFalse(ScratchRecurrentLayer.scaledRowCopy(Nd4j.rand(DataType.FLOAT, B, H, T + 1), placeholder, 0.5, host,
                stages), "longer than the placeholder");
        assertFalse(ScratchRecurrentLayer.scaledRowCopy(Nd4j.rand(DataType.FLOAT, B, H, T), placeholder.dup('f'), 0.5,
                host, stages), "placeholder not 'c'");
        assertTrue(placeholder.sumNumber().doubleValue() == 0, "nothing written when refused");
    }
}
