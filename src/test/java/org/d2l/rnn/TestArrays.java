package org.d2l.rnn;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Test inputs shared by the model tests. */
public final class TestArrays {
    private TestArrays() {
    }

    /** Random one-hot sequences [batch, vocab, steps]. */
    public static INDArray oneHot(Random random, int batch, int vocab, int steps, DataType dataType) {
        INDArray data = Nd4j.zeros(dataType, batch, vocab, steps);
        for (int i = 0; i < batch; i++) {
            for (int t = 0; t < steps; t++) {
                data.putScalar(new long[] {i, random.nextInt(vocab), t}, 1.0);
            }
        }
        return data;
    }
}
