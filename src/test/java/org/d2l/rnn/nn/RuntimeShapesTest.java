package org.d2l.rnn.nn;

import org.d2l.rnn.DoublePrecision;

import static org.d2l.rnn.nn.TestNets.BATCH;
import static org.d2l.rnn.nn.TestNets.STEPS;
import static org.d2l.rnn.nn.TestNets.VOCAB;
import static org.d2l.rnn.nn.TestNets.maxAbsDiff;
import static org.d2l.rnn.nn.TestNets.oneHot;
import static org.d2l.rnn.nn.TestNets.steps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Networks declared for T = STEPS run on any sequence length and batch size. */
class RuntimeShapesTest extends DoublePrecision {

    @ParameterizedTest
    @EnumSource(value = TestNets.Kind.class, names = {"FAST_GRU", "SCRATCH_RNN_TANH", "SCRATCH_GRU",
            "SCRATCH_LSTM"})
    void acceptsAnyLengthAndBatchSizeAtRunTime(TestNets.Kind kind) {
        ComputationGraph net = TestNets.doubleNet(kind);
        INDArray longer = oneHot(BATCH, 10, DataType.DOUBLE, 8);
        INDArray longOutput = net.outputSingle(longer);
        assertArrayEquals(new long[]{BATCH, VOCAB, 10}, longOutput.shape());
        assertEquals(0, maxAbsDiff(net.outputSingle(steps(longer, 0, STEPS)), steps(longOutput, 0, STEPS)), 1e-12,
                "causal: a prefix gives the same outputs");
        assertArrayEquals(new long[]{BATCH, VOCAB, 1}, net.outputSingle(steps(longer, 0, 1)).shape());

        INDArray wide = oneHot(7, STEPS, DataType.DOUBLE, 9);
        INDArray wideOutput = net.outputSingle(wide);
        assertArrayEquals(new long[]{7, VOCAB, STEPS}, wideOutput.shape());
        INDArray single = wide.get(interval(2, 3), all(), all());
        assertEquals(0, maxAbsDiff(net.outputSingle(single), wideOutput.get(interval(2, 3), all(), all())), 1e-12,
                "batch 1 equals its row in a batch of 7");

        for (int length : new int[]{10, 1}) {
            net.fit(new DataSet(oneHot(BATCH, length, DataType.DOUBLE, length), oneHot(BATCH, length,
                    DataType.DOUBLE, length + 1)));
            assertTrue(Double.isFinite(net.score()), "fit at T=" + length);
        }
    }
}
