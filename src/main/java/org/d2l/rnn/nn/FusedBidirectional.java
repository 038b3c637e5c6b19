package org.d2l.rnn.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link Bidirectional} wrapper in CONCAT mode — same configuration, parameters and numbers — whose runtime
 * ({@link FusedBidirectionalLayer}) lets a layer of this package ({@link StatefulLstm}, {@link FastGru},
 * {@link StatefulSimpleRnn}) run its backward-in-time half itself instead of on reversed copies of the input,
 * the output and both gradients. Any other wrapped layer runs exactly as under DL4J's wrapper.
 *
 * <pre>{@code
 * graph.addLayer("bi", new FusedBidirectional(new StatefulLstm(256, Activation.TANH)), "in");
 * }</pre>
 */
public class FusedBidirectional extends Bidirectional {

    /** For JSON deserialisation of saved models. */
    public FusedBidirectional() {
    }

    /** Both directions are copies of {@code layer}; their outputs are concatenated (forward half first). */
    public FusedBidirectional(org.deeplearning4j.nn.conf.layers.Layer layer) {
        super(Mode.CONCAT, layer);
    }

    /** As DL4J's {@code Bidirectional.instantiate}: the first half of the parameters is the forward layer's. */
    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        NeuralNetConfiguration forwardConf = conf.clone();
        NeuralNetConfiguration backwardConf = conf.clone();
        forwardConf.setLayer(getFwd());
        backwardConf.setLayer(getBwd());
        INDArray params = paramsView.reshape(1, paramsView.length());
        long half = params.length() / 2;
        Layer forward = getFwd().instantiate(forwardConf, listeners, layerIndex, params.get(all(), interval(0, half)),
                initializeParams, dataType);
        Layer backward = getBwd().instantiate(backwardConf, listeners, layerIndex,
                params.get(all(), interval(half, 2 * half)), initializeParams, dataType);
        FusedBidirectionalLayer layer = new FusedBidirectionalLayer(conf, forward, backward, paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
