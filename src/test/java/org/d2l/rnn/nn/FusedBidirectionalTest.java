package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.d2l.rnn.DoublePrecision;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link FusedBidirectional} computes what DL4J's {@link Bidirectional} wrapper computes around the same layers —
 * outputs, score and every gradient, through two stacked bidirectional layers — without reversed copies.
 */
class FusedBidirectionalTest extends DoublePrecision {
    private static final int BATCH = 3;
    private static final int STEPS = 5;

    enum Inner {
        LSTM(() -> new StatefulLstm(TestNets.HIDDEN, Activation.TANH)),
        GRU(() -> new FastGru.Builder().nOut(TestNets.HIDDEN).build()),
        RNN(() -> new StatefulSimpleRnn(TestNets.HIDDEN, Activation.TANH));

        private final Supplier<Layer> layer;

        Inner(Supplier<Layer> layer) {
            this.layer = layer;
        }
    }

    private static ComputationGraph fused(Inner inner) {
        return TestNets.netWithOutput(DataType.DOUBLE, new NoOp(), 0,
                FusedRnnOutput.of(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(TestNets.VOCAB).build()),
                new FusedBidirectional(inner.layer.get()), new FusedBidirectional(inner.layer.get()));
    }

    /** The same graph and parameters with DL4J's wrapper around the same inner layers. */
    private static ComputationGraph withDl4jWrappers(ComputationGraph fused) {
        ComputationGraph net = fused;
        for (String name : new String[]{"l0", "l1"}) {
            FusedBidirectional ours = (FusedBidirectional) fused.getLayer(name).conf().getLayer();
            net = TestNets.withLayer(net, name, new Bidirectional(Bidirectional.Mode.CONCAT, ours.getFwd().clone()));
        }
        return net;
    }

    private static INDArray gradient(ComputationGraph net, INDArray x, INDArray y) {
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.getGradientsViewArray().dup();
    }

    @ParameterizedTest
    @EnumSource(Inner.class)
    void sameNumbersAsDl4jsWrapper(Inner inner) {
        ComputationGraph fused = fused(inner);
        ComputationGraph dl4j = withDl4jWrappers(fused);
        assertInstanceOf(FusedBidirectionalLayer.class, fused.getLayer("l1"));
        INDArray x = TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 11);
        INDArray y = TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 12);

        assertTrue(TestNets.maxAbsDiff(dl4j.outputSingle(x), fused.outputSingle(x)) < 1e-12);
        INDArray expected = gradient(dl4j, x, y);
        INDArray actual = gradient(fused, x, y);
        assertTrue(((FusedBidirectionalLayer) fused.getLayer("l0")).fused()
                && ((FusedBidirectionalLayer) fused.getLayer("l1")).fused(), "fused path taken");
        assertTrue(expected.amaxNumber().doubleValue() > 1e-3);
        assertTrue(TestNets.maxAbsDiff(expected, actual) < 1e-12, "gradients differ by " + TestNets.maxAbsDiff(expected, actual));
        assertEquals(dl4j.score(), fused.score(), 1e-12);
    }

    @ParameterizedTest
    @EnumSource(value = Inner.class, names = {"LSTM", "GRU"})
    void passesDl4jsGradientCheck(Inner inner) {
        assertTrue(TestNets.gradientsMatchFiniteDifferences(fused(inner),
                TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 13), TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 14)));
    }

    @Test
    void survivesAZipRoundTrip(@TempDir Path dir) throws Exception {
        ComputationGraph net = fused(Inner.LSTM);
        ComputationGraph restored = TestNets.zipRoundTrip(net, dir);
        assertInstanceOf(FusedBidirectionalLayer.class, restored.getLayer("l0"));
        INDArray x = TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 15);
        assertEquals(net.outputSingle(x), restored.outputSingle(x));
    }
}
