package org.d2l.rnn.nn;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * DL4J's {@link RnnOutputLayer} — same configuration, parameters, loss and numbers — whose runtime
 * ({@link FusedRnnOutputLayer}) trains softmax + cross-entropy on the time-major rows of its input with direct
 * BLAS calls instead of DL4J's reshapes and copies. Everything it does not speed up is DL4J's own code.
 *
 * <pre>{@code
 * graph.addLayer("out", FusedRnnOutput.of(new RnnOutputLayer.Builder(LossFunction.MCXENT)
 *         .activation(Activation.SOFTMAX).nOut(vocab).build()), "rnn");
 * }</pre>
 */
public class FusedRnnOutput extends RnnOutputLayer {

    /** For JSON deserialisation of saved models; use {@link #of}. */
    public FusedRnnOutput() {
    }

    /**
     * The same layer as {@code layer} (every setting copied through DL4J's own JSON form, so none can be
     * forgotten) with the fused runtime.
     */
    public static FusedRnnOutput of(RnnOutputLayer layer) {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ObjectNode json = mapper.valueToTree(layer);
        json.put("@class", FusedRnnOutput.class.getName());
        try {
            return (FusedRnnOutput) mapper.treeToValue(json, org.deeplearning4j.nn.conf.layers.Layer.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not copy the output layer's configuration", e);
        }
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return Instantiation.wire(new FusedRnnOutputLayer(conf, networkDataType), initializer(), conf, listeners,
                layerIndex, paramsView, initializeParams);
    }
}
