package org.d2l.rnn.nn;

import org.d2l.rnn.DoublePrecision;

import static org.d2l.rnn.nn.TestNets.BATCH;
import static org.d2l.rnn.nn.TestNets.Kind.DL4J_LSTM;
import static org.d2l.rnn.nn.TestNets.Kind.SCRATCH_GRU;
import static org.d2l.rnn.nn.TestNets.Kind.SCRATCH_LSTM;
import static org.d2l.rnn.nn.TestNets.Kind.SCRATCH_RNN_TANH;
import static org.d2l.rnn.nn.TestNets.STEPS;
import static org.d2l.rnn.nn.TestNets.gradientsMatchFiniteDifferences;
import static org.d2l.rnn.nn.TestNets.gradientsMatchOnSample;
import static org.d2l.rnn.nn.TestNets.maxAbsDiff;
import static org.d2l.rnn.nn.TestNets.oneHot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** Finite-difference checks of the unrolled SameDiff cells, and proof of the SameDiff runtime's 2x gradient. */
class ScratchRecurrentGradientTest extends DoublePrecision {
    private final INDArray features = oneHot(BATCH, STEPS, DataType.DOUBLE, 1);
    private final INDArray labels = oneHot(BATCH, STEPS, DataType.DOUBLE, 2);

    @ParameterizedTest
    @EnumSource(value = TestNets.Kind.class, names = {"SCRATCH_RNN_TANH", "SCRATCH_RNN_RELU", "SCRATCH_GRU",
            "SCRATCH_LSTM"})
    void eachCellPassesTheGradientCheck(TestNets.Kind cell) {
        assertTrue(gradientsMatchFiniteDifferences(TestNets.doubleNet(cell), features, labels));
    }

    /** The DL4J LSTM's parameter gradients below are correct only if the scratch layer's dL/dInput is. */
    @Test
    void dl4jLstmBelowScratchGruPassesTheGradientCheck() {
        assertTrue(gradientsMatchOnSample(TestNets.doubleNet(DL4J_LSTM, SCRATCH_GRU), features, labels, 6));
    }

    @Test
    void scratchLstmBelowScratchRnnPassesTheGradientCheck() {
        assertTrue(gradientsMatchOnSample(TestNets.doubleNet(SCRATCH_LSTM, SCRATCH_RNN_TANH), features, labels,
                6));
    }

    /**
     * The same GRU run by DL4J's own SameDiff layer runtime: its gradients fail the check and are exactly twice
     * the corrected ones, for the GRU's parameters and, through dL/dInput, for the LSTM below it. The corrected
     * network passes ({@link #dl4jLstmBelowScratchGruPassesTheGradientCheck}).
     */
    @Test
    void dl4jSameDiffRuntimeDoublesTheGradientsAndTheLayerHalvesThem() {
        ComputationGraph corrected = TestNets.doubleNet(DL4J_LSTM, SCRATCH_GRU);
        ComputationGraph uncorrected = TestNets.net(DataType.DOUBLE, new NoOp(), 0,
                DL4J_LSTM.create(TestNets.HIDDEN), new UncorrectedScratchGru());
        uncorrected.setParams(corrected.params());

        assertFalse(GradientCheckUtil.checkGradients(TestNets.check(uncorrected, features, labels)
                .exitOnFirstError(true)));
        long recurrentParams = corrected.numParams() - corrected.getLayer("out").numParams();
        INDArray correctedGradient = gradient(corrected).get(interval(0, recurrentParams));
        INDArray uncorrectedGradient = gradient(uncorrected).get(interval(0, recurrentParams));
        assertTrue(correctedGradient.amaxNumber().doubleValue() > 1e-3);
        assertEquals(0, maxAbsDiff(uncorrectedGradient,
                correctedGradient.mul(ScratchRecurrentLayer.SAMEDIFF_GRADIENT_FACTOR)), 1e-12);
    }

    /** Without dL/dInput (the layer reads the network's input) the parameter gradients are the same. */
    @Test
    void leavingOutTheInputGradientLeavesTheParameterGradients() {
        ComputationGraph full = TestNets.net(DataType.DOUBLE, new NoOp(), 0, new ScratchRecurrent.Builder()
                .cell(Cell.LSTM).paramInit(ParamInit.XAVIER).nOut(TestNets.HIDDEN).build());
        ComputationGraph lean = TestNets.net(DataType.DOUBLE, new NoOp(), 0, new ScratchRecurrent.Builder()
                .cell(Cell.LSTM).paramInit(ParamInit.XAVIER).nOut(TestNets.HIDDEN).inputGradient(false).build());
        lean.setParams(full.params());
        assertEquals(0, maxAbsDiff(gradient(full), gradient(lean)), 1e-12);
        assertTrue(gradientsMatchFiniteDifferences(lean, features, labels));
    }

    private INDArray gradient(ComputationGraph net) {
        net.setInputs(features);
        net.setLabels(labels);
        net.computeGradientAndScore();
        return net.getGradientsViewArray().dup().reshape(-1);
    }

    /**
     * A scratch GRU instantiated with DL4J's plain SameDiff layer runtime (no correction). That runtime feeds
     * only the input, so the start state is a zero constant instead of the layer's placeholder.
     */
    private static final class UncorrectedScratchGru extends ScratchRecurrent {
        UncorrectedScratchGru() {
            setCell(Cell.GRU);
            setParamInit(ParamInit.XAVIER);
            setNOut(TestNets.HIDDEN);
        }

        @Override
        public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> params, SDVariable mask) {
            SDVariable h0 = sd.constant(Nd4j.zeros(x.dataType(), 1, getNOut()));
            return gruSequence(sd, x, Math.toIntExact(x.getShape()[2]), params, h0);
        }

        @Override
        public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                                 INDArray paramsView, boolean initializeParams, DataType dataType) {
            return Instantiation.wire(new SameDiffLayer(conf, dataType), initializer(), conf, listeners, index,
                    paramsView, initializeParams);
        }
    }
}
