package org.d2l.rnn.nn;

import org.d2l.rnn.DoublePrecision;

import static org.d2l.rnn.nn.TestNets.BATCH;
import static org.d2l.rnn.nn.TestNets.HIDDEN;
import static org.d2l.rnn.nn.TestNets.Kind.DL4J_LSTM;
import static org.d2l.rnn.nn.TestNets.Kind.FAST_GRU;
import static org.d2l.rnn.nn.TestNets.Kind.SCRATCH_GRU;
import static org.d2l.rnn.nn.TestNets.STEPS;
import static org.d2l.rnn.nn.TestNets.gradientsMatchFiniteDifferences;
import static org.d2l.rnn.nn.TestNets.maxAbsDiff;
import static org.d2l.rnn.nn.TestNets.oneHot;
import static org.d2l.rnn.nn.TestNets.steps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Map;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** FastGru's hand-written backward pass against finite differences and against the SameDiff GRU cell. */
class FastGruTest extends DoublePrecision {
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();
    private final INDArray features = oneHot(BATCH, STEPS, DataType.DOUBLE, 1);
    private final INDArray labels = oneHot(BATCH, STEPS, DataType.DOUBLE, 2);

    @Test
    void passesTheGradientCheckAlone() {
        assertTrue(gradientsMatchFiniteDifferences(TestNets.doubleNet(FAST_GRU), features, labels));
    }

    @Test
    void passesTheGradientCheckStackedOnItself() {
        assertTrue(gradientsMatchFiniteDifferences(TestNets.doubleNet(FAST_GRU, FAST_GRU), features, labels));
    }

    /** The LSTM's parameter gradients are right only if FastGru's dL/dInput is. */
    @Test
    void passesTheGradientCheckAboveDl4jLstm() {
        assertTrue(gradientsMatchFiniteDifferences(TestNets.doubleNet(DL4J_LSTM, FAST_GRU), features, labels));
    }

    /** DL4J's layer dropout on the second GRU's input; the RNG is reset before every pass so masks repeat. */
    @Test
    void passesTheGradientCheckWithInputDropout() {
        ComputationGraph net = TestNets.net(DataType.DOUBLE, new NoOp(), 0,
                new FastGru.Builder().nOut(HIDDEN).build(), new FastGru.Builder().nOut(HIDDEN).dropOut(0.7).build());
        assertTrue(GradientCheckUtil.checkGradients(TestNets.check(net, features, labels)
                .callEachIter(graph -> Nd4j.getRandom().setSeed(5))));
    }

    @Test
    void passesTheGradientCheckBelowDl4jLstm() {
        assertTrue(gradientsMatchFiniteDifferences(TestNets.doubleNet(FAST_GRU, DL4J_LSTM), features, labels));
    }

    @Test
    void computesTheSameFunctionAndGradientsAsTheScratchGruCell() {
        ComputationGraph fastNet = TestNets.doubleNet(FAST_GRU);
        ComputationGraph scratchNet = TestNets.doubleNet(SCRATCH_GRU);
        scratchNet.setParams(fastNet.params());
        fastNet.initGradientsView();
        scratchNet.initGradientsView();
        Layer fast = fastNet.getLayer("l0");
        Layer scratch = scratchNet.getLayer("l0");
        INDArray epsilon = Nd4j.randn(DataType.DOUBLE, BATCH, HIDDEN, STEPS);

        assertEquals(0, maxAbsDiff(activate(fast), activate(scratch)), 1e-9);
        Pair<Gradient, INDArray> fastGradients = fast.backpropGradient(epsilon, NO_WORKSPACES);
        Pair<Gradient, INDArray> scratchGradients = scratch.backpropGradient(epsilon, NO_WORKSPACES);
        for (String key : GateParams.KEYS) {
            assertEquals(0, maxAbsDiff(fastGradients.getFirst().getGradientFor(key),
                    scratchGradients.getFirst().getGradientFor(key)), 1e-9, key);
        }
        assertEquals(0, maxAbsDiff(fastGradients.getSecond(), scratchGradients.getSecond()), 1e-9, "dL/dInput");

        Map<String, INDArray> state = Map.of(FastGruLayer.STATE_H, Nd4j.randn(DataType.DOUBLE, BATCH, HIDDEN));
        ((RecurrentLayer) fast).rnnSetPreviousState(state);
        ((RecurrentLayer) scratch).rnnSetPreviousState(state);
        assertEquals(0, maxAbsDiff(((RecurrentLayer) fast).rnnTimeStep(features, NO_WORKSPACES),
                ((RecurrentLayer) scratch).rnnTimeStep(features, NO_WORKSPACES)), 1e-9, "from a non-zero state");
    }

    private INDArray activate(Layer layer) {
        layer.setInput(features, NO_WORKSPACES);
        return layer.activate(true, NO_WORKSPACES);
    }

    /**
     * Truncated BPTT over the last k steps must give what full BPTT gives for those k steps alone, started from
     * the hidden state reached before them: the same parameter gradients and dL/dInput, and no gradient for the
     * earlier inputs.
     */
    @Test
    void truncatedBackpropEqualsFullBackpropOfTheLastSteps() {
        int kept = 2;
        ComputationGraph net = TestNets.doubleNet(FAST_GRU);
        net.initGradientsView();
        RecurrentLayer gru = (RecurrentLayer) net.getLayer("l0");
        INDArray epsilon = Nd4j.randn(DataType.DOUBLE, BATCH, HIDDEN, STEPS);
        INDArray output = activate(gru);
        Pair<Gradient, INDArray> truncated = copy(gru.tbpttBackpropGradient(epsilon, kept, NO_WORKSPACES));

        gru.rnnSetTBPTTState(Map.of(FastGruLayer.STATE_H, output.get(all(), all(), point(STEPS - kept - 1))));
        gru.rnnActivateUsingStoredState(steps(features, STEPS - kept, STEPS), true, false, NO_WORKSPACES);
        Pair<Gradient, INDArray> lastSteps = gru.backpropGradient(steps(epsilon, STEPS - kept, STEPS),
                NO_WORKSPACES);

        for (String key : GateParams.KEYS) {
            assertEquals(0, maxAbsDiff(truncated.getFirst().getGradientFor(key),
                    lastSteps.getFirst().getGradientFor(key)), 1e-12, key);
        }
        assertEquals(0, maxAbsDiff(steps(truncated.getSecond(), STEPS - kept, STEPS), lastSteps.getSecond()), 1e-12);
        assertEquals(0, steps(truncated.getSecond(), 0, STEPS - kept).amaxNumber().doubleValue());
    }

    /** Gradients are views that the next backward pass overwrites. */
    private static Pair<Gradient, INDArray> copy(Pair<Gradient, INDArray> gradients) {
        Gradient copy = new DefaultGradient();
        gradients.getFirst().gradientForVariable().forEach((key, value) -> copy.setGradientFor(key, value.dup()));
        return new Pair<>(copy, gradients.getSecond().dup());
    }
}
