package org.d2l.rnn.nn;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Parameters of {@link FastGru}: the {@link GateParams} layout with three gate blocks [R | Z | H~]. */
final class GruParamInitializer implements ParamInitializer {
    static final GruParamInitializer INSTANCE = new GruParamInitializer();
    static final int GATES = 3;

    private GruParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        FastGru gru = (FastGru) layer;
        return GateParams.count(gru.getNIn(), gru.getNOut(), GATES);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return GateParams.KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(GateParams.INPUT_WEIGHTS, GateParams.RECURRENT_WEIGHTS);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(GateParams.BIAS);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return GateParams.BIAS.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        FastGru gru = (FastGru) conf.getLayer();
        Map<String, INDArray> params = GateParams.views(paramsView, gru.getNIn(), gru.getNOut(), GATES);
        if (initializeParams) {
            IWeightInit recurrentInit = gru.getWeightInitFnRecurrent() != null
                    ? gru.getWeightInitFnRecurrent() : gru.getWeightInitFn();
            GateParams.initialise(params, gru.getWeightInitFn(), recurrentInit, gru.getNIn(), gru.getNOut());
        }
        params.keySet().forEach(conf::addVariable);
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        FastGru gru = (FastGru) conf.getLayer();
        return GateParams.views(gradientView, gru.getNIn(), gru.getNOut(), GATES);
    }
}
