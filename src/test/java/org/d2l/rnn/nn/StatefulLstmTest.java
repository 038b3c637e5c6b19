package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.d2l.rnn.DoublePrecision;
import org.d2l.rnn.TestArrays;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class StatefulLstmTest extends DoublePrecision {
    private static final String LAYER = "rnn1";

    private static ComputationGraph net() {
        return LanguageModels.build(ModelSpec.of(ModelKind.LSTM, 5, 4, 1), new NoOp(), 6, 12345, DataType.DOUBLE);
    }

    private static Map<String, INDArray> state(double scaleActivation, double scaleCell) {
        return Map.of(
                org.deeplearning4j.nn.layers.recurrent.LSTM.STATE_KEY_PREV_ACTIVATION,
                Nd4j.rand(DataType.DOUBLE, 3, 4).subi(0.5).muli(scaleActivation),
                org.deeplearning4j.nn.layers.recurrent.LSTM.STATE_KEY_PREV_MEMCELL,
                Nd4j.rand(DataType.DOUBLE, 3, 4).subi(0.5).muli(scaleCell));
    }

    @Test
    void gradientIsRightFromAStoredStateWhereDl4jsLstmIsNot() {
        Random r = new Random(8);
        INDArray x = TestArrays.oneHot(r, 3, 5, 6, DataType.DOUBLE);
        INDArray y = TestArrays.oneHot(r, 3, 5, 6, DataType.DOUBLE);
        ComputationGraph ours = net();
        assertTrue(ours.getLayer(LAYER) instanceof StatefulLstmLayer);
        for (double[] scales : new double[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}}) {
            Map<String, INDArray> s = state(scales[0], scales[1]);
            assertTrue(StoredStateGradientCheck.maxRelativeError(ours, LAYER, s, x, y) < 1e-4, "state scales " + scales[0] + "/" + scales[1]);
        }

        // A canary for DL4J's own layer, same parameters: exact from a zero state, wrong from a stored one (its
        // backward pass recomputes the forward pass from zeros). If this fails, DL4J fixed it.
        ComputationGraph dl4j = TestNets.withLayer(ours, LAYER, new LSTM.Builder().nIn(5).nOut(4).activation(Activation.TANH).build());
        assertFalse(dl4j.getLayer(LAYER) instanceof StatefulLstmLayer);
        assertTrue(StoredStateGradientCheck.maxRelativeError(dl4j, LAYER, state(0, 0), x, y) < 1e-4);
        assertTrue(StoredStateGradientCheck.maxRelativeError(dl4j, LAYER, state(1, 1), x, y) > 0.1);
    }

    @Test
    void sameConfigurationAndForwardAsDl4jsLstmAndStandardGradientCheck() {
        Random r = new Random(9);
        INDArray x = TestArrays.oneHot(r, 3, 5, 6, DataType.DOUBLE);
        INDArray y = TestArrays.oneHot(r, 3, 5, 6, DataType.DOUBLE);
        ComputationGraph ours = net();
        LSTM reference = new LSTM.Builder().nIn(5).nOut(4).activation(Activation.TANH).build();
        LSTM copied = (LSTM) ours.getLayer(LAYER).conf().getLayer();
        assertEquals(reference.getForgetGateBiasInit(), copied.getForgetGateBiasInit());
        assertEquals(reference.getGateActivationFn(), copied.getGateActivationFn());
        assertEquals(reference.getActivationFn(), copied.getActivationFn());
        ComputationGraph dl4j = TestNets.withLayer(ours, LAYER, reference);
        assertEquals(0.0, ours.outputSingle(x).sub(dl4j.outputSingle(x)).amaxNumber().doubleValue(), 1e-12);
        // the fused kernel's hand-written backward pass against DL4J's LSTM code, from a zero state where DL4J is right
        for (ComputationGraph net : new ComputationGraph[] {ours, dl4j}) {
            net.setInputs(x);
            net.setLabels(y);
            net.computeGradientAndScore();
        }
        assertEquals(0.0, ours.getGradientsViewArray().sub(dl4j.getGradientsViewArray()).amaxNumber().doubleValue(), 1e-9);
        ours.rnnClearPreviousState(); // the TBPTT forward pass above stored its end state
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(ours).inputs(new INDArray[] {x})
                .labels(new INDArray[] {y})));
    }

    @Test
    void steppingOneCharAtATimeEqualsOnePassAndTheStateCarries() {
        ComputationGraph ours = net();
        INDArray x = TestArrays.oneHot(new Random(4), 2, 5, 7, DataType.DOUBLE);
        INDArray whole = ours.outputSingle(x);
        ours.rnnClearPreviousState();
        for (int t = 0; t < 7; t++) {
            INDArray step = ours.rnnTimeStep(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(t, t + 1)))[0];
            assertEquals(0.0, step.sub(whole.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(t, t + 1)))
                    .amaxNumber().doubleValue(), 1e-12, "step " + t);
        }
    }

    @Test
    void insideDl4jsBidirectionalWrapperTheGradientIsExact() {
        ComputationGraph bi = LanguageModels.build(ModelSpec.of(ModelKind.BI_LSTM, 5, 3, 1), new NoOp(), 6, 12345,
                DataType.DOUBLE);
        Random r = new Random(5);
        INDArray x = TestArrays.oneHot(r, 2, 5, 4, DataType.DOUBLE);
        INDArray y = TestArrays.oneHot(r, 2, 5, 4, DataType.DOUBLE);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(bi).inputs(new INDArray[] {x})
                .labels(new INDArray[] {y})));
    }

    @Test
    void survivesAZipRoundTrip(@TempDir Path dir) throws Exception {
        ComputationGraph ours = net();
        File zip = dir.resolve("lstm.zip").toFile();
        ModelSerializer.writeModel(ours, zip, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(zip, true);
        assertTrue(restored.getLayer(LAYER) instanceof StatefulLstmLayer);
        INDArray x = TestArrays.oneHot(new Random(3), 2, 5, 4, DataType.DOUBLE);
        assertEquals(0.0, ours.outputSingle(x).sub(restored.outputSingle(x)).amaxNumber().doubleValue(), 0.0);
    }
}
