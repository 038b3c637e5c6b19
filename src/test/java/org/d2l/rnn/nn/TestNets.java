package org.d2l.rnn.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Random;
import java.util.function.IntFunction;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny char-LM style graphs [one-hot V -> recurrent layers -> RnnOutputLayer] and data for the nn tests. */
final class TestNets {
    /** Small on purpose: a gradient check runs two forward passes per parameter, and each op of an unrolled
     *  SameDiff graph costs ~0.15 ms whatever its size. */
    static final int VOCAB = 4;
    static final int HIDDEN = 3;
    static final int STEPS = 4;
    static final int BATCH = 2;

    /** The recurrent layers under test, plus DL4J's LSTM as a reference neighbour in stacks. */
    enum Kind {
        FAST_GRU(h -> new FastGru.Builder().nOut(h).build()),
        SCRATCH_RNN_TANH(h -> scratch(Cell.RNN, Activation.TANH, h)),
        SCRATCH_RNN_RELU(h -> scratch(Cell.RNN, Activation.RELU, h)),
        SCRATCH_GRU(h -> scratch(Cell.GRU, Activation.TANH, h)),
        SCRATCH_LSTM(h -> scratch(Cell.LSTM, Activation.TANH, h)),
        DL4J_LSTM(h -> new LSTM.Builder().nOut(h).activation(Activation.TANH).build());

        private final IntFunction<Layer> factory;

        Kind(IntFunction<Layer> factory) {
            this.factory = factory;
        }

        Layer create(int hidden) {
            return factory.apply(hidden);
        }

        /** XAVIER rather than d2l's normal(0, 0.01): tiny weights would make the gradient checks vacuous. */
        private static Layer scratch(Cell cell, Activation activation, int hidden) {
            return new ScratchRecurrent.Builder().cell(cell).activation(activation).paramInit(ParamInit.XAVIER)
                    .nOut(hidden).build();
        }
    }

    private TestNets() {
    }

    /** DOUBLE, no updater: for gradient checks and exact comparisons. Layers are named l0, l1, ...; output "out". */
    static ComputationGraph doubleNet(Kind... stack) {
        return net(DataType.DOUBLE, new NoOp(), 0, HIDDEN, stack);
    }

    static ComputationGraph net(DataType dataType, IUpdater updater, int tbpttLength, int hidden, Kind... stack) {
        Layer[] layers = new Layer[stack.length];
        for (int i = 0; i < stack.length; i++) {
            layers[i] = stack[i].create(hidden);
        }
        return net(dataType, updater, tbpttLength, layers);
    }

    static ComputationGraph net(DataType dataType, IUpdater updater, int tbpttLength, Layer... layers) {
        return netWithOutput(dataType, updater, tbpttLength, new RnnOutputLayer.Builder(
                LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(VOCAB).build(), layers);
    }

    static ComputationGraph netWithOutput(DataType dataType, IUpdater updater, int tbpttLength, Layer output,
                                          Layer... layers) {
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(12345).dataType(dataType).updater(updater)
                .graphBuilder().addInputs("in").setInputTypes(InputType.recurrent(VOCAB, STEPS));
        String previous = "in";
        for (int i = 0; i < layers.length; i++) {
            graph.addLayer("l" + i, layers[i], previous);
            previous = "l" + i;
        }
        graph.addLayer("out", output, previous);
        graph.setOutputs("out");
        if (tbpttLength > 0) {
            graph.backpropType(BackpropType.TruncatedBPTT)
                    .tBPTTForwardLength(tbpttLength).tBPTTBackwardLength(tbpttLength);
        }
        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        return net;
    }

    /** Random one-hot sequences [batch, VOCAB, steps]. */
    static INDArray oneHot(int batch, int steps, DataType dataType, long seed) {
        return org.d2l.rnn.TestArrays.oneHot(new Random(seed), batch, VOCAB, steps, dataType);
    }

    static INDArray steps(INDArray sequence, long from, long to) {
        return sequence.get(all(), all(), interval(from, to));
    }

    /** Checks every parameter; {@link #gradientsMatchOnSample} checks a spread sample of each. */
    static boolean gradientsMatchFiniteDifferences(ComputationGraph net, INDArray features, INDArray labels) {
        return GradientCheckUtil.checkGradients(check(net, features, labels));
    }

    /**
     * For stacks, where the point is dL/dInput reaching the layer below: {@code perParam} evenly spread entries
     * of each parameter array keep the SameDiff forward passes (two per entry) affordable.
     */
    static boolean gradientsMatchOnSample(ComputationGraph net, INDArray features, INDArray labels, int perParam) {
        return GradientCheckUtil.checkGradients(check(net, features, labels).subset(true).maxPerParam(perParam));
    }

    static GradientCheckUtil.GraphConfig check(ComputationGraph net, INDArray features, INDArray labels) {
        return new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[]{features}).labels(new INDArray[]{labels})
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY);
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    /** {@code net} written to a DL4J zip in {@code dir} and read back. */
    static ComputationGraph zipRoundTrip(ComputationGraph net, java.nio.file.Path dir) throws java.io.IOException {
        java.io.File zip = dir.resolve("net.zip").toFile();
        org.deeplearning4j.util.ModelSerializer.writeModel(net, zip, false);
        return org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(zip, false);
    }

    /** The same graph and parameters with one layer's configuration swapped (e.g. for DL4J's own layer). */
    static ComputationGraph withLayer(ComputationGraph net, String name, org.deeplearning4j.nn.conf.layers.Layer layer) {
        ComputationGraph copy = new ComputationGraph(net.getConfiguration().clone());
        layer.setLayerName(name);
        ((org.deeplearning4j.nn.conf.graph.LayerVertex) copy.getConfiguration().getVertices().get(name)).getLayerConf()
                .setLayer(layer);
        copy.init(net.params().dup(), false);
        return copy;
    }
}
