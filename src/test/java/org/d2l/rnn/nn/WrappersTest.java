package org.d2l.rnn.nn;

import org.d2l.rnn.DoublePrecision;

import static org.d2l.rnn.nn.TestNets.BATCH;
import static org.d2l.rnn.nn.TestNets.HIDDEN;
import static org.d2l.rnn.nn.TestNets.STEPS;
import static org.d2l.rnn.nn.TestNets.VOCAB;
import static org.d2l.rnn.nn.TestNets.gradientsMatchFiniteDifferences;
import static org.d2l.rnn.nn.TestNets.oneHot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Which of DL4J's recurrent wrappers take which layer of this package. */
class WrappersTest extends DoublePrecision {
    private final INDArray features = oneHot(BATCH, STEPS, DataType.DOUBLE, 12);

    /** FastGru is a BaseRecurrentLayer, which is what Bidirectional requires. */
    @Test
    void bidirectionalWrapsFastGru() {
        ComputationGraph net = TestNets.net(DataType.DOUBLE, new NoOp(), 0,
                new Bidirectional(Bidirectional.Mode.CONCAT, new FastGru.Builder().nOut(HIDDEN).build()));
        assertArrayEquals(new long[]{BATCH, 2 * HIDDEN, STEPS}, net.feedForward(features, false).get("l0").shape());
        assertTrue(gradientsMatchFiniteDifferences(net, features, oneHot(BATCH, STEPS, DataType.DOUBLE, 13)));
    }

    /** ScratchRecurrent is a SameDiffLayer: DL4J's Bidirectional refuses it. */
    @Test
    void bidirectionalRefusesScratchRecurrent() {
        assertThrows(IllegalArgumentException.class, () -> new Bidirectional(Bidirectional.Mode.CONCAT,
                new ScratchRecurrent.Builder().cell(Cell.GRU).nOut(HIDDEN).build()));
    }

    @Test
    void lastTimeStepWrapsFastGru() {
        ComputationGraph net = TestNets.netWithOutput(DataType.DOUBLE, new NoOp(), 0, classifier(),
                new LastTimeStep(new FastGru.Builder().nOut(HIDDEN).build()));
        assertArrayEquals(new long[]{BATCH, HIDDEN}, net.feedForward(features, false).get("l0").shape());
        assertTrue(gradientsMatchFiniteDifferences(net, features, lastStepLabels()));
    }

    /** LastTimeStep accepts the configuration but its runtime only knows DL4J's own recurrent layer types. */
    @Test
    void lastTimeStepFailsOnScratchRecurrentAtRunTime() {
        ComputationGraph net = TestNets.netWithOutput(DataType.DOUBLE, new NoOp(), 0, classifier(),
                new LastTimeStep(TestNets.Kind.SCRATCH_LSTM.create(HIDDEN)));
        assertThrows(IllegalStateException.class, () -> net.feedForward(features, false));
    }

    /** The graph vertex does the same job for any layer. */
    @Test
    void lastTimeStepVertexWorksAfterScratchRecurrent() {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(12345).dataType(DataType.DOUBLE).updater(new NoOp())
                .graphBuilder().addInputs("in").setInputTypes(InputType.recurrent(VOCAB, STEPS))
                .addLayer("lstm", TestNets.Kind.SCRATCH_LSTM.create(HIDDEN), "in")
                .addVertex("last", new LastTimeStepVertex("in"), "lstm")
                .addLayer("out", classifier(), "last")
                .setOutputs("out").build());
        net.init();
        assertArrayEquals(new long[]{BATCH, HIDDEN}, net.feedForward(features, false).get("last").shape());
        assertTrue(gradientsMatchFiniteDifferences(net, features, lastStepLabels()));
    }

    private static OutputLayer classifier() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nOut(VOCAB).build();
    }

    private static INDArray lastStepLabels() {
        return oneHot(BATCH, 1, DataType.DOUBLE, 14).get(all(), all(), point(0));
    }
}
