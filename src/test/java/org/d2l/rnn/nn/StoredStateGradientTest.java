package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.d2l.rnn.DoublePrecision;
import org.d2l.rnn.TestArrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * d2l's sequential partitioning trains every minibatch from the state the previous one left: the gradient must
 * be right from a stored, non-zero state. Checked numerically for each of our recurrent layers as the language
 * models use them.
 */
class StoredStateGradientTest extends DoublePrecision {
    /** Every kind that can carry a state: all but the bidirectional ones. */
    static java.util.stream.Stream<ModelKind> statefulKinds() {
        return java.util.Arrays.stream(ModelKind.values()).filter(k -> !k.bidirectional());
    }

    @ParameterizedTest
    @MethodSource("statefulKinds")
    void gradientFromAStoredStateMatchesFiniteDifferences(ModelKind kind) {
        Random r = new Random(kind.ordinal());
        ComputationGraph net = LanguageModels.build(ModelSpec.of(kind, 5, 3, 1), new NoOp(), 4, 11, DataType.DOUBLE);
        net.rnnTimeStep(TestArrays.oneHot(r, 2, 5, 3, DataType.DOUBLE)); // a non-zero state in the layer's own format
        Map<String, INDArray> state = new HashMap<>();
        ((RecurrentLayer) net.getLayer("rnn1")).rnnGetPreviousState().forEach((k, v) -> state.put(k, v.dup()));
        assertFalse(state.isEmpty());
        net.rnnClearPreviousState();
        double error = StoredStateGradientCheck.maxRelativeError(net, "rnn1", state, TestArrays.oneHot(r, 2, 5, 4, DataType.DOUBLE), TestArrays.oneHot(r, 2, 5, 4, DataType.DOUBLE));
        assertTrue(error < 1e-4, kind + ": " + error);
    }
}
