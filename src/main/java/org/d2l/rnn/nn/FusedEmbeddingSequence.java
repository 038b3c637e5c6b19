package org.d2l.rnn.nn;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * DL4J's {@link EmbeddingSequenceLayer} — same configuration, parameter {@code W} [vocabulary, size], masks and
 * numbers — whose runtime ({@link FusedEmbeddingSequenceLayer}) gathers the rows in a Java loop straight into
 * time-major activations and adds the gradient rows back in another, instead of DL4J's pullRows, permute, dup and
 * {@code scatterUpdate} (a tenth of a d2l 9.7 run). Models saved with DL4J's layer keep loading as DL4J's layer.
 *
 * <pre>{@code
 * graph.addLayer("embedding", FusedEmbeddingSequence.of(new EmbeddingSequenceLayer.Builder()
 *         .nIn(vocab).nOut(32).hasBias(false).build()), "tokens");
 * }</pre>
 */
public class FusedEmbeddingSequence extends EmbeddingSequenceLayer {

    /** For JSON deserialisation of saved models; use {@link #of}. */
    public FusedEmbeddingSequence() {
    }

    /** The same layer as {@code layer} (every setting copied through DL4J's JSON form) with the fused runtime. */
    public static FusedEmbeddingSequence of(EmbeddingSequenceLayer layer) {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ObjectNode json = mapper.valueToTree(layer);
        json.put("@class", FusedEmbeddingSequence.class.getName());
        try {
            return (FusedEmbeddingSequence) mapper.treeToValue(json, org.deeplearning4j.nn.conf.layers.Layer.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not copy the embedding layer's configuration", e);
        }
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return Instantiation.wire(new FusedEmbeddingSequenceLayer(conf, networkDataType), initializer(), conf,
                listeners, layerIndex, paramsView, initializeParams);
    }
}
