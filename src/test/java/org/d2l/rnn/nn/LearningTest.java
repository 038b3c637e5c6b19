package org.d2l.rnn.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Each layer, with its default settings, learns to predict the next character of a repeated sentence. */
class LearningTest {
    private static final String TEXT = "the time machine by h g wells ";
    private static final String VOCAB = TEXT.chars().distinct().sorted()
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    private static final int STEPS = 10;
    private static final int BATCH = 8;
    private static final int HIDDEN = 24;
    private static final int ITERATIONS = 25;

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("FastGru", new FastGru.Builder().nOut(HIDDEN).build()),
                Arguments.of("scratch GRU", new ScratchRecurrent.Builder().cell(Cell.GRU).nOut(HIDDEN).build()),
                Arguments.of("scratch LSTM", new ScratchRecurrent.Builder().cell(Cell.LSTM).nOut(HIDDEN).build()),
                Arguments.of("scratch RNN", new ScratchRecurrent.Builder().cell(Cell.RNN).nOut(HIDDEN).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void perTokenLossFallsWellBelowUniformGuessing(String name, Layer layer) {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).updater(new Adam(0.05))
                .graphBuilder().addInputs("in").setInputTypes(InputType.recurrent(VOCAB.length(), STEPS))
                .addLayer("rnn", layer, "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(VOCAB.length()).build(), "rnn")
                .setOutputs("out").build());
        net.init();
        DataSet windows = nextCharacterWindows();
        for (int i = 0; i < ITERATIONS; i++) {
            net.fit(windows);
        }
        double perToken = net.score() / STEPS; // RnnOutputLayer's score sums over steps, averages over the batch
        double uniform = Math.log(VOCAB.length());
        assertTrue(perToken < 0.25 * uniform, name + ": loss per token " + perToken + " vs ln V = " + uniform);
    }

    /** BATCH windows at different offsets of the repeated text; labels are the characters one step ahead. */
    private static DataSet nextCharacterWindows() {
        String text = TEXT.repeat(4);
        INDArray features = Nd4j.zeros(DataType.FLOAT, BATCH, VOCAB.length(), STEPS);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, VOCAB.length(), STEPS);
        for (int i = 0; i < BATCH; i++) {
            int start = i * 7 % TEXT.length();
            for (int t = 0; t < STEPS; t++) {
                features.putScalar(new long[]{i, VOCAB.indexOf(text.charAt(start + t)), t}, 1.0);
                labels.putScalar(new long[]{i, VOCAB.indexOf(text.charAt(start + t + 1)), t}, 1.0);
            }
        }
        return new DataSet(features, labels);
    }
}
