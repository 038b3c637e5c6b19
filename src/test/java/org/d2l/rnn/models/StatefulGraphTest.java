package org.d2l.rnn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.d2l.rnn.DoublePrecision;
import org.d2l.rnn.TestArrays;
import org.d2l.rnn.nn.InputGradientOptional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** The layers fed by the network input leave dL/dInput out, and training is the same without it. */
class StatefulGraphTest extends DoublePrecision {
    private static final int VOCAB = 7;
    private static final int BATCH = 3;
    private static final int STEPS = 5;

    private static StatefulGraph net(ModelKind kind, int layers) {
        StatefulGraph net = LanguageModels.build(ModelSpec.of(kind, VOCAB, 6, layers), new Sgd(0.5), STEPS, 3,
                DataType.DOUBLE);
        net.setCarryState(true);
        return net;
    }

    /** The vertices whose layer can leave the input gradient out, in the graph's order. */
    private static List<GraphVertex> optional(StatefulGraph net) {
        List<GraphVertex> found = new ArrayList<>();
        for (GraphVertex v : net.getVertices()) {
            if (v.hasLayer() && v.getLayer() instanceof InputGradientOptional) {
                found.add(v);
            }
        }
        return found;
    }

    @ParameterizedTest
    @CsvSource({"RNN, 1", "LSTM, 2", "GRU_FUSED, 2", "BI_LSTM, 1"})
    void trainingIsTheSameWithAndWithoutTheNetworkInputsGradient(ModelKind kind, int layers) {
        Random r = new Random(5);
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            batches.add(new DataSet(TestArrays.oneHot(r, BATCH, VOCAB, STEPS, DataType.DOUBLE),
                    TestArrays.oneHot(r, BATCH, VOCAB, STEPS, DataType.DOUBLE)));
        }
        StatefulGraph skipping = net(kind, layers);
        StatefulGraph computing = net(kind, layers);
        for (GraphVertex v : optional(computing)) {
            ((InputGradientOptional) v.getLayer()).setInputGradientNeeded(true);
        }
        for (DataSet batch : batches) {
            skipping.fit(batch);
            computing.fit(batch);
        }
        assertEquals(0.0, skipping.params().sub(computing.params()).amaxNumber().doubleValue(), 0.0);
    }

    @ParameterizedTest
    @CsvSource({"LSTM, 2", "RNN, 2", "GRU_FUSED, 2", "BI_LSTM, 1"})
    void onlyTheLayerFedByTheNetworkInputLeavesItsInputGradientOut(ModelKind kind, int layers) {
        Random r = new Random(6);
        StatefulGraph net = net(kind, layers);
        net.initGradientsView();
        // a training forward pass that leaves the layers' inputs set, then each layer's backward pass by hand
        net.feedForward(new INDArray[]{TestArrays.oneHot(r, BATCH, VOCAB, STEPS, DataType.DOUBLE)}, true, false);
        List<GraphVertex> layersWithOption = optional(net);
        assertEquals(layers, layersWithOption.size());
        for (int i = 0; i < layersWithOption.size(); i++) {
            Layer layer = layersWithOption.get(i).getLayer();
            long width = kind == ModelKind.BI_LSTM ? 12 : 6;
            INDArray eps = Nd4j.rand(DataType.DOUBLE, BATCH, width, STEPS);
            var dX = layer.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces()).getSecond();
            if (i == 0) {
                assertTrue(net.getVertices()[layersWithOption.get(i).getInputVertices()[0].getVertexIndex()]
                        .isInputVertex());
                assertNull(dX, "the first layer's dL/dInput goes nowhere");
            } else {
                assertNotNull(dX, "layer " + i + " feeds its gradient to the layer below");
            }
        }
    }
}
