package org.d2l.rnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.d2l.rnn.TestArrays;
import org.d2l.rnn.nn.VectorAdamUpdater;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The Trainer's updater changes how DL4J's updater runs, never the numbers. */
class SameViewUpdaterTest {

    @Test
    void adamTrainsToTheSameParametersAsDl4jsOwnUpdater() {
        ComputationGraph dl4j = net();
        ComputationGraph ours = net();
        SameViewUpdater.install(ours);
        for (UpdaterBlock block : ours.getUpdater().getUpdaterBlocks()) {
            assertEquals(VectorAdamUpdater.class, block.getGradientUpdater().getClass());
        }
        Random r = new Random(3);
        for (int i = 0; i < 30; i++) {
            DataSet batch = new DataSet(TestArrays.oneHot(r, 6, 8, 7, DataType.FLOAT),
                    TestArrays.oneHot(r, 6, 8, 7, DataType.FLOAT));
            dl4j.fit(batch);
            ours.fit(batch);
        }
        assertTrue(dl4j.params().sumNumber().doubleValue() != 0);
        assertArrayEquals(dl4j.params().toFloatVector(), ours.params().toFloatVector());
        assertArrayEquals(dl4j.getUpdater().getStateViewArray().toFloatVector(),
                ours.getUpdater().getStateViewArray().toFloatVector());
    }

    private static ComputationGraph net() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5).dataType(DataType.FLOAT).updater(new Adam(0.02))
                .graphBuilder().addInputs("in").setInputTypes(InputType.recurrent(8, 7))
                .addLayer("lstm", new LSTM.Builder().nOut(16).activation(Activation.TANH).build(), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(8).build(), "lstm")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }
}
