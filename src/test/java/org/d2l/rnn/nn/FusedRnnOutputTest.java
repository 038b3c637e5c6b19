package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.d2l.rnn.DoublePrecision;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@link FusedRnnOutput} computes what DL4J's {@link RnnOutputLayer} computes: score, every gradient, dL/dInput. */
class FusedRnnOutputTest extends DoublePrecision {
    private static final int BATCH = 3;
    private static final int STEPS = 5;

    private static RnnOutputLayer stock() {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nOut(TestNets.VOCAB).build();
    }

    /** The same graph and parameters with DL4J's own output layer. */
    private static ComputationGraph withStockOutput(ComputationGraph fused) {
        RnnOutputLayer stock = stock();
        stock.setRnnDataFormat(org.deeplearning4j.nn.conf.RNNFormat.NCW);
        stock.setNIn(((FusedRnnOutput) fused.getLayer("out").conf().getLayer()).getNIn());
        return TestNets.withLayer(fused, "out", stock);
    }

    private static ComputationGraph fused(TestNets.Kind... stack) {
        Layer[] layers = new Layer[stack.length];
        for (int i = 0; i < stack.length; i++) {
            layers[i] = stack[i].create(TestNets.HIDDEN);
        }
        return TestNets.netWithOutput(DataType.DOUBLE, new NoOp(), 0, FusedRnnOutput.of(stock()), layers);
    }

    private static INDArray gradient(ComputationGraph net, INDArray x, INDArray y, INDArray labelMask) {
        net.setInputs(x);
        net.setLabels(y);
        net.setLayerMaskArrays(null, labelMask == null ? null : new INDArray[]{labelMask});
        net.computeGradientAndScore();
        return net.getGradientsViewArray().dup();
    }

    /** Below the output layer: our kernel (time-major view), DL4J's LSTM (another layout), the raw input (copy). */
    enum Below { FAST_GRU, DL4J_LSTM, NONE }

    @ParameterizedTest
    @EnumSource(Below.class)
    void sameScoreAndGradientsAsDl4jsOutputLayer(Below below) {
        ComputationGraph fused = below == Below.NONE ? fused() : fused(TestNets.Kind.valueOf(below.name()));
        assertInstanceOf(FusedRnnOutputLayer.class, fused.getLayer("out"));
        ComputationGraph stock = withStockOutput(fused);
        INDArray x = TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 1);
        INDArray y = TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 2);

        INDArray expected = gradient(stock, x, y, null);
        INDArray actual = gradient(fused, x, y, null);
        assertTrue(((FusedRnnOutputLayer) fused.getLayer("out")).lastBackwardFused());
        assertTrue(expected.amaxNumber().doubleValue() > 1e-3);
        assertTrue(TestNets.maxAbsDiff(expected, actual) < 1e-12, "gradients differ by " + TestNets.maxAbsDiff(expected, actual));
        assertEquals(stock.score(), fused.score(), 1e-12);
        // a score asked for without a backward pass first is DL4J's own computation, and the same
        assertEquals(stock.score(new org.nd4j.linalg.dataset.DataSet(x, y)),
                fused.score(new org.nd4j.linalg.dataset.DataSet(x, y)), 1e-12);
    }

    /** Inference: the fused forward pass gives DL4J's probabilities, whole sequences and one step at a time. */
    @ParameterizedTest
    @EnumSource(Below.class)
    void sameOutputAsDl4jsOutputLayer(Below below) {
        ComputationGraph fused = below == Below.NONE ? fused() : fused(TestNets.Kind.valueOf(below.name()));
        ComputationGraph stock = withStockOutput(fused);
        INDArray x = TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 7);
        INDArray expected = stock.outputSingle(x);
        INDArray actual = fused.outputSingle(x);
        assertTrue(TestNets.maxAbsDiff(expected, actual) < 1e-12, "outputs differ by " + TestNets.maxAbsDiff(expected, actual));
        if (below != Below.NONE) {
            for (int t = 0; t < 2; t++) {
                INDArray step = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(t, t + 1)).dup();
                INDArray a = fused.rnnTimeStep(step)[0];
                INDArray e = stock.rnnTimeStep(step)[0];
                assertTrue(TestNets.maxAbsDiff(e, a) < 1e-12, "step " + t + " differs by " + TestNets.maxAbsDiff(e, a));
            }
        }
    }

    /** A label mask per time step (seq2seq's padding) is fused too: padded steps add neither loss nor gradient. */
    @Test
    void perStepLabelMasksGiveDl4jsScoreAndGradients() {
        ComputationGraph fused = fused(TestNets.Kind.FAST_GRU);
        ComputationGraph stock = withStockOutput(fused);
        INDArray x = TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 3);
        INDArray y = TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 4);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, BATCH, STEPS);
        mask.putScalar(0, STEPS - 1, 0);
        mask.putScalar(2, STEPS - 1, 0);
        mask.putScalar(2, STEPS - 2, 0);
        INDArray expected = gradient(stock, x, y, mask);
        INDArray actual = gradient(fused, x, y, mask);
        assertTrue(((FusedRnnOutputLayer) fused.getLayer("out")).lastBackwardFused());
        assertTrue(TestNets.maxAbsDiff(expected, actual) < 1e-12, "gradients differ by " + TestNets.maxAbsDiff(expected, actual));
        assertEquals(stock.score(), fused.score(), 1e-12);
        // and the mask matters: without it the numbers differ
        assertTrue(TestNets.maxAbsDiff(expected, gradient(stock, x, y, null)) > 1e-6);
    }

    /**
     * Float labels in either memory order (DL4J's iterators make 'f' order ones, which the vectorised label scan
     * reads as one block) with a label mask: the same numbers as each other, and DL4J's to float rounding.
     */
    @Test
    void floatLabelsInEitherOrderGiveTheSameScoreAndGradients() {
        Layer[] layers = {TestNets.Kind.FAST_GRU.create(TestNets.HIDDEN)};
        ComputationGraph fused = TestNets.netWithOutput(DataType.FLOAT, new NoOp(), 0, FusedRnnOutput.of(stock()), layers);
        ComputationGraph stock = withStockOutput(fused);
        INDArray x = TestNets.oneHot(BATCH, STEPS, DataType.FLOAT, 5);
        INDArray y = TestNets.oneHot(BATCH, STEPS, DataType.FLOAT, 6);
        INDArray mask = Nd4j.ones(DataType.FLOAT, BATCH, STEPS);
        mask.putScalar(1, STEPS - 1, 0);
        INDArray cOrder = gradient(fused, x, y.dup('c'), mask);
        double cScore = fused.score();
        INDArray fOrder = gradient(fused, x, y.dup('f'), mask);
        assertEquals(0, TestNets.maxAbsDiff(cOrder, fOrder));
        assertEquals(cScore, fused.score(), 0);
        INDArray expected = gradient(stock, x, y.dup('f'), mask);
        assertTrue(TestNets.maxAbsDiff(expected, fOrder) < 1e-5, "differs by " + TestNets.maxAbsDiff(expected, fOrder));
        assertEquals(stock.score(), cScore, 1e-5);
    }

    @Test
    void passesDl4jsGradientCheckAboveARecurrentLayer() {
        ComputationGraph net = fused(TestNets.Kind.FAST_GRU);
        assertTrue(TestNets.gradientsMatchFiniteDifferences(net, TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 5),
                TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 6)));
    }

    @Test
    void survivesAZipRoundTrip(@TempDir Path dir) throws Exception {
        ComputationGraph net = fused(TestNets.Kind.FAST_GRU);
        ComputationGraph restored = TestNets.zipRoundTrip(net, dir);
        assertInstanceOf(FusedRnnOutputLayer.class, restored.getLayer("out"));
        INDArray x = TestNets.oneHot(BATCH, STEPS, DataType.DOUBLE, 7);
        assertEquals(net.outputSingle(x), restored.outputSingle(x));
    }
}
