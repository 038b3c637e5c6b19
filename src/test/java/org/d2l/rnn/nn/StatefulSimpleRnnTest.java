package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.d2l.rnn.models.LanguageModels;
import org.d2l.rnn.models.ModelKind;
import org.d2l.rnn.models.ModelSpec;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.recurrent.SimpleRnn;
import org.d2l.rnn.DoublePrecision;
import org.d2l.rnn.TestArrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class StatefulSimpleRnnTest extends DoublePrecision {
    private static ComputationGraph net(ModelKind kind) {
        return LanguageModels.build(ModelSpec.of(kind, 5, 4, 1), new NoOp(), 6, 12345, DataType.DOUBLE);
    }

    @Test
    void gradientIsRightFromAStoredStateWhereDl4jsSimpleRnnIsNot() {
        Random r = new Random(7);
        INDArray x = TestArrays.oneHot(r, 3, 5, 6, DataType.DOUBLE);
        INDArray y = TestArrays.oneHot(r, 3, 5, 6, DataType.DOUBLE);
        Map<String, INDArray> state = Map.of(SimpleRnn.STATE_KEY_PREV_ACTIVATION, Nd4j.rand(DataType.DOUBLE, 3, 4).subi(0.5));
        ComputationGraph ours = net(ModelKind.RNN);
        assertTrue(ours.getLayer("rnn1") instanceof StatefulSimpleRnnLayer);
        assertTrue(StoredStateGradientCheck.maxRelativeError(ours, "rnn1", state, x, y) < 1e-4);

        // DL4J's own layer with the same parameters: its gradient ignores the stored state
        ComputationGraph dl4j = TestNets.withLayer(ours, "rnn1", new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.Builder()
                .nIn(5).nOut(4).activation(org.nd4j.linalg.activations.Activation.TANH).build());
        assertTrue(dl4j.getLayer("rnn1") instanceof SimpleRnn && !(dl4j.getLayer("rnn1") instanceof StatefulSimpleRnnLayer));
        assertTrue(StoredStateGradientCheck.maxRelativeError(dl4j, "rnn1", state, x, y) > 1e-2,
                "DL4J M2.1's SimpleRnn gets it wrong (if this fails, DL4J fixed it and the workaround can go)");
    }

    @Test
    void standardGradientCheckAndSameForwardAsDl4j() {
        Random r = new Random(9);
        INDArray x = TestArrays.oneHot(r, 3, 5, 6, DataType.DOUBLE);
        INDArray y = TestArrays.oneHot(r, 3, 5, 6, DataType.DOUBLE);
        ComputationGraph ours = net(ModelKind.RNN);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(ours).inputs(new INDArray[] {x})
                .labels(new INDArray[] {y})));
        INDArray stepped = Nd4j.concat(2, ours.rnnTimeStep(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)))[0],
                ours.rnnTimeStep(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6)))[0]);
        assertEquals(0.0, ours.outputSingle(x).sub(stepped).amaxNumber().doubleValue(), 1e-12);

        // rnnTimeStep runs our kernel: the steps of DL4J's own SimpleRnn with the same parameters, state carried
        ComputationGraph dl4j = TestNets.withLayer(ours, "rnn1", new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.Builder()
                .nIn(5).nOut(4).activation(org.nd4j.linalg.activations.Activation.TANH).build());
        ours.rnnClearPreviousState();
        for (int t = 0; t < 6; t += 2) {
            INDArray chunk = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(t, t + 2));
            assertEquals(0.0, dl4j.rnnTimeStep(chunk)[0].sub(ours.rnnTimeStep(chunk)[0]).amaxNumber().doubleValue(), 1e-12);
        }
    }

    @Test
    void reluVariantPassesTheGradientCheck() {
        Random r = new Random(10);
        INDArray x = TestArrays.oneHot(r, 3, 5, 6, DataType.DOUBLE);
        INDArray y = TestArrays.oneHot(r, 3, 5, 6, DataType.DOUBLE);
        ComputationGraph relu = LanguageModels.build(new ModelSpec(ModelKind.RNN, 5, 4, 1, 0, "relu"), new NoOp(), 6,
                12345, DataType.DOUBLE);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(relu).inputs(new INDArray[] {x})
                .labels(new INDArray[] {y})));
    }
}
