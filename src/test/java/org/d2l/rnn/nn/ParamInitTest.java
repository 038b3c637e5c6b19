package org.d2l.rnn.nn;

import org.d2l.rnn.DoublePrecision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Initial parameters: d2l's normal(0, 0.01) or Xavier per gate block, zero biases. */
class ParamInitTest extends DoublePrecision {
    private static final int IN = 28;
    private static final int HIDDEN = 64;
    private static final double D2L_STD = 0.01;

    @Test
    void scratchLayersStartFromD2lInitByDefault() {
        Map<String, INDArray> params = initialParams(new ScratchRecurrent.Builder().cell(Cell.LSTM).nOut(HIDDEN)
                .build());
        assertStd(D2L_STD, params.get(GateParams.INPUT_WEIGHTS));
        assertStd(D2L_STD, params.get(GateParams.RECURRENT_WEIGHTS));
        assertEquals(0, params.get(GateParams.BIAS).amaxNumber().doubleValue());
    }

    @Test
    void xavierCountsEachGateBlockAsOneMatrix() {
        Map<String, INDArray> scratch = initialParams(new ScratchRecurrent.Builder().cell(Cell.GRU).nOut(HIDDEN)
                .paramInit(ParamInit.XAVIER).build());
        Map<String, INDArray> fast = initialParams(new FastGru.Builder().nOut(HIDDEN).build());
        for (Map<String, INDArray> params : List.of(scratch, fast)) {
            assertStd(Math.sqrt(2.0 / (IN + HIDDEN)), params.get(GateParams.INPUT_WEIGHTS));
            assertStd(Math.sqrt(2.0 / (HIDDEN + HIDDEN)), params.get(GateParams.RECURRENT_WEIGHTS));
            assertEquals(0, params.get(GateParams.BIAS).amaxNumber().doubleValue());
        }
    }

    @Test
    void fastGruTakesD2lInitOnRequest() {
        Map<String, INDArray> params = initialParams(new FastGru.Builder().nOut(HIDDEN).paramInit(ParamInit.D2L)
                .build());
        assertStd(D2L_STD, params.get(GateParams.INPUT_WEIGHTS));
        assertStd(D2L_STD, params.get(GateParams.RECURRENT_WEIGHTS));
    }

    @Test
    void fastGruMemoryReportCountsItsParameters() {
        FastGru gru = new FastGru.Builder().nIn(IN).nOut(HIDDEN).build();
        gru.setIUpdater(new Sgd(0.1));
        LayerMemoryReport report = gru.getMemoryReport(InputType.recurrent(IN, 35));
        assertEquals(3L * HIDDEN * (IN + HIDDEN + 1), report.getParameterSize());
    }

    private static void assertStd(double expected, INDArray weights) {
        assertEquals(expected, weights.stdNumber().doubleValue(), 0.05 * expected);
    }

    private static Map<String, INDArray> initialParams(Layer layer) {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(7)
                .dataType(DataType.DOUBLE).graphBuilder().addInputs("in").setInputTypes(InputType.recurrent(IN, 5))
                .addLayer("rnn", layer, "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(IN).build(), "rnn")
                .setOutputs("out").build());
        net.init();
        return net.getLayer("rnn").paramTable();
    }
}
