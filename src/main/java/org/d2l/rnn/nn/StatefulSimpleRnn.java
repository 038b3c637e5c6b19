package org.d2l.rnn.nn;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link SimpleRnn} (same configuration, parameters and forward pass) with a backward pass that is
 * right when the forward pass started from a stored state.
 *
 * <p>Why: in DL4J 1.0.0-M2.1 {@code SimpleRnn.tbpttBackpropGradient} recomputes the forward pass from a ZERO
 * state and leaves out the initial state's term of the recurrent-weight gradient. Under truncated BPTT — and so
 * under d2l's sequential partitioning, which carries the state from minibatch to minibatch — its gradient
 * belongs to a different trajectory than the loss, and training diverges (perplexity above 200 where PyTorch
 * reaches 7 in 50 epochs). {@link StatefulSimpleRnnLayer} fixes that; everything else is DL4J's.
 */
public class StatefulSimpleRnn extends SimpleRnn {

    /** For JSON deserialisation of saved models. */
    public StatefulSimpleRnn() {
        super(new SimpleRnn.Builder());
    }

    public StatefulSimpleRnn(int nOut, Activation activation) {
        super(new SimpleRnn.Builder().nOut(nOut).activation(activation));
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        StatefulSimpleRnnLayer layer = new StatefulSimpleRnnLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        Map<String, INDArray> params = initializer().init(conf, paramsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }
}
