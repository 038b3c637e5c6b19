package org.d2l.rnn.seq2seq;

import static org.d2l.rnn.seq2seq.TinyModels.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.d2l.rnn.DoublePrecision;
import org.d2l.rnn.nn.FastGru;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** FinalStateVertex is DL4J's LastTimeStepVertex, forward and backward, for right-padded masks and without. */
class FinalStateVertexTest extends DoublePrecision {
    private static final int BATCH = 3;
    private static final int STEPS = 5;

    @Test
    void equalsDl4jLastTimeStepVertex() {
        ComputationGraph ours = net(new FinalStateVertex("in"));
        ComputationGraph dl4j = net(new LastTimeStepVertex("in"));
        dl4j.setParams(ours.params());
        INDArray features = Nd4j.randn(DataType.DOUBLE, BATCH, 2, STEPS);
        INDArray labels = Nd4j.eye(BATCH).castTo(DataType.DOUBLE);
        INDArray mask = Tokens.mask(new int[]{5, 2, 1}, STEPS, DataType.DOUBLE);
        for (INDArray featureMask : new INDArray[]{mask, null}) {
            INDArray[] masks = {featureMask};
            assertEquals(0, maxAbsDiff(gradient(ours, features, labels, masks),
                    gradient(dl4j, features, labels, masks)), 1e-12);
            assertEquals(0, maxAbsDiff(ours.output(false, new INDArray[]{features}, masks)[0],
                    dl4j.output(false, new INDArray[]{features}, masks)[0]), 1e-12);
        }
    }

    /** A FastGru below the vertex, so that the vertex's backward pass shows in the parameter gradients. */
    private static ComputationGraph net(GraphVertex lastStep) {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new NoOp())
                .graphBuilder().addInputs("in").setInputTypes(InputType.recurrent(2))
                .addLayer("gru", new FastGru.Builder().nOut(4).build(), "in")
                .addVertex("last", lastStep, "gru")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(4).nOut(BATCH).build(), "last")
                .setOutputs("out").build());
        net.init();
        return net;
    }

    private static INDArray gradient(ComputationGraph net, INDArray features, INDArray labels, INDArray[] masks) {
        net.setInputs(features);
        net.setLabels(labels);
        net.setLayerMaskArrays(masks, null);
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }
}
