package org.d2l.rnn.nn;

import org.d2l.rnn.DoublePrecision;

import static org.d2l.rnn.nn.TestNets.BATCH;
import static org.d2l.rnn.nn.TestNets.HIDDEN;
import static org.d2l.rnn.nn.TestNets.Kind.FAST_GRU;
import static org.d2l.rnn.nn.TestNets.Kind.SCRATCH_GRU;
import static org.d2l.rnn.nn.TestNets.Kind.SCRATCH_LSTM;
import static org.d2l.rnn.nn.TestNets.Kind.SCRATCH_RNN_TANH;
import static org.d2l.rnn.nn.TestNets.VOCAB;
import static org.d2l.rnn.nn.TestNets.maxAbsDiff;
import static org.d2l.rnn.nn.TestNets.oneHot;
import static org.d2l.rnn.nn.TestNets.steps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/** rnnTimeStep and truncated BPTT carry the recurrent state like DL4J's built-in recurrent layers. */
class StatefulnessTest extends DoublePrecision {
    private static final int LONG_STEPS = 12;
    private static final int SEGMENT = 4;

    static Stream<Arguments> stacks() {
        return Stream.of(new TestNets.Kind[]{FAST_GRU}, new TestNets.Kind[]{SCRATCH_RNN_TANH},
                        new TestNets.Kind[]{SCRATCH_GRU}, new TestNets.Kind[]{SCRATCH_LSTM},
                        new TestNets.Kind[]{FAST_GRU, SCRATCH_LSTM})
                .map(stack -> Arguments.of((Object) stack));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void timeStepsContinueFromTheStoredStateUntilCleared(TestNets.Kind[] stack) {
        ComputationGraph net = TestNets.doubleNet(stack);
        INDArray sequence = oneHot(BATCH, 6, DataType.DOUBLE, 3);
        INDArray whole = net.outputSingle(sequence);

        for (int chunk : new int[]{1, 2}) {
            net.rnnClearPreviousState();
            for (int t = 0; t < 6; t += chunk) {
                INDArray out = net.rnnTimeStep(steps(sequence, t, t + chunk))[0];
                assertEquals(0, maxAbsDiff(out, steps(whole, t, t + chunk)), 1e-10, "chunk " + chunk + " at " + t);
            }
        }
        INDArray firstStep = sequence.get(all(), all(), point(0)); // 2-D [batch, V]: one step
        INDArray afterSequence = net.rnnTimeStep(firstStep)[0];
        assertTrue(maxAbsDiff(afterSequence, whole.get(all(), all(), point(0))) > 1e-6, "state was used");
        net.rnnClearPreviousState();
        INDArray fresh = net.rnnTimeStep(firstStep)[0];
        assertArrayEquals(new long[]{BATCH, VOCAB}, fresh.shape());
        assertEquals(0, maxAbsDiff(fresh, whole.get(all(), all(), point(0))), 1e-10, "cleared");
    }

    /** With one segment spanning the sequence, truncated BPTT must be plain BPTT. */
    @ParameterizedTest
    @MethodSource("stacks")
    void truncatedBpttWithTheFullLengthMakesTheSameUpdateAsBptt(TestNets.Kind[] stack) {
        ComputationGraph truncated = TestNets.net(DataType.DOUBLE, new Sgd(0.1), SEGMENT, HIDDEN, stack);
        ComputationGraph plain = TestNets.net(DataType.DOUBLE, new Sgd(0.1), 0, HIDDEN, stack);
        plain.setParams(truncated.params());
        DataSet data = new DataSet(oneHot(BATCH, SEGMENT, DataType.DOUBLE, 4), oneHot(BATCH, SEGMENT,
                DataType.DOUBLE, 5));
        INDArray before = plain.params().dup();
        truncated.fit(data);
        plain.fit(data);
        assertTrue(maxAbsDiff(plain.params(), before) > 1e-4, "parameters moved");
        assertEquals(0, maxAbsDiff(truncated.params(), plain.params()), 1e-12);
    }

    /**
     * Segments run through the truncated-BPTT path reproduce one forward pass over the whole sequence, and a
     * truncated-BPTT fit stores the state for the next segment (after the first segment it equals the hidden
     * state at that step of a forward pass with the starting parameters) and learns.
     */
    @ParameterizedTest
    @MethodSource("stacks")
    void truncatedBpttCarriesTheStateBetweenSegments(TestNets.Kind[] stack) {
        ComputationGraph net = TestNets.net(DataType.DOUBLE, new Sgd(0.5), SEGMENT, HIDDEN, stack);
        INDArray features = oneHot(BATCH, LONG_STEPS, DataType.DOUBLE, 6);
        INDArray whole = net.outputSingle(features);
        INDArray firstLayer = net.feedForward(features, false).get("l0");
        for (int t = 0; t < LONG_STEPS; t += SEGMENT) {
            INDArray out = net.rnnActivateUsingStoredState(new INDArray[]{steps(features, t, t + SEGMENT)}, false,
                    true).get("out");
            assertEquals(0, maxAbsDiff(out, steps(whole, t, t + SEGMENT)), 1e-10, "segment at " + t);
        }
        net.rnnClearPreviousState();

        List<Map<String, INDArray>> statesAfterSegments = new ArrayList<>();
        net.addListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                statesAfterSegments.add(((RecurrentLayer) net.getLayer("l0")).rnnGetTBPTTState());
            }
        });
        DataSet data = new DataSet(features, features); // learnable: echo the current token
        net.fit(data);
        assertEquals(LONG_STEPS / SEGMENT, statesAfterSegments.size());
        INDArray carried = statesAfterSegments.get(0).get("h");
        assertEquals(0, maxAbsDiff(carried, firstLayer.get(all(), all(), point(SEGMENT - 1))), 1e-10);

        double firstScore = net.score();
        for (int i = 0; i < 15; i++) {
            net.fit(data);
        }
        assertTrue(net.score() < 0.8 * firstScore, "score " + firstScore + " -> " + net.score());
    }
}
