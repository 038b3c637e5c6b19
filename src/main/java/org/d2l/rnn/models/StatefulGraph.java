package org.d2l.rnn.models;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.d2l.rnn.nn.InputGradientOptional;
import org.d2l.rnn.nn.TbpttStateCarrier;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A ComputationGraph that can keep its recurrent state from one {@code fit} to the next.
 *
 * <p>Why: d2l's sequential partitioning carries the hidden state from minibatch to minibatch, detached from the
 * earlier graph. DL4J's truncated BPTT does exactly that between the segments of ONE fit call, but clears the
 * state at the start and end of every fit. With {@link #setCarryState(boolean) carryState} on, those clears are
 * skipped, so fitting minibatch after minibatch with a TBPTT length equal to the minibatch length carries the
 * state across minibatches (and epochs, if the caller does not {@link #resetState()}).
 */
public class StatefulGraph extends ComputationGraph {
    private boolean carryState;

    public StatefulGraph(ComputationGraphConfiguration conf) {
        super(conf);
    }

    /** The same network (configuration and parameters) as a StatefulGraph, e.g. after restoring a zip. */
    public static StatefulGraph of(ComputationGraph net) {
        if (net instanceof StatefulGraph s) {
            return s;
        }
        StatefulGraph g = new StatefulGraph(net.getConfiguration());
        g.init(net.params(), false);
        if (net.getUpdater() != null && net.getUpdater().getStateViewArray() != null) {
            g.getUpdater().getStateViewArray().assign(net.getUpdater().getStateViewArray());
        }
        return g;
    }

    /**
     * DL4J's init, then the layers fed only by network inputs are told that their dL/dInput goes nowhere
     * ({@link InputGradientOptional}): the graph hands an input vertex's epsilon to no one.
     */
    @Override
    public void init(INDArray parameters, boolean cloneParametersArray) {
        super.init(parameters, cloneParametersArray);
        for (GraphVertex vertex : getVertices()) {
            if (vertex.hasLayer() && vertex.getLayer() instanceof InputGradientOptional optional) {
                optional.setInputGradientNeeded(!fedOnlyByNetworkInputs(vertex));
            }
        }
    }

    private boolean fedOnlyByNetworkInputs(GraphVertex vertex) {
        VertexIndices[] inputs = vertex.getInputVertices();
        if (inputs == null || inputs.length == 0
                || !(vertex instanceof LayerVertex layerVertex) || layerVertex.getLayerPreProcessor() != null) {
            return false; // a preprocessor's backprop would be handed the missing epsilon
        }
        for (VertexIndices input : inputs) {
            if (!getVertices()[input.getVertexIndex()].isInputVertex()) {
                return false;
            }
        }
        return true;
    }

    public void setCarryState(boolean carryState) {
        this.carryState = carryState;
    }

    public boolean carriesState() {
        return carryState;
    }

    /**
     * The state training carries into the next minibatch (DL4J's TBPTT state), per layer; separate from the
     * {@code rnnTimeStep} state that generation uses. Copies.
     */
    public Map<String, Map<String, INDArray>> carriedState() {
        Map<String, Map<String, INDArray>> out = new LinkedHashMap<>();
        for (Layer layer : getLayers()) {
            // a bidirectional layer carries nothing (it sees the whole sequence) and throws when asked
            if (layer instanceof RecurrentLayer r && !(layer instanceof BidirectionalLayer)
                    && r.rnnGetTBPTTState() != null && !r.rnnGetTBPTTState().isEmpty()) {
                Map<String, INDArray> copy = new LinkedHashMap<>();
                r.rnnGetTBPTTState().forEach((k, v) -> copy.put(k, v.dup()));
                out.put(layer.getConfig().getLayerName(), copy);
            }
        }
        return out;
    }

    /** Puts back a {@link #carriedState()}; layers it does not name keep theirs. */
    public void setCarriedState(Map<String, Map<String, INDArray>> state) {
        for (Layer layer : getLayers()) {
            Map<String, INDArray> s = state.get(layer.getConfig().getLayerName());
            if (layer instanceof RecurrentLayer r && s != null) {
                r.rnnSetTBPTTState(new LinkedHashMap<>(s));
            }
        }
    }

    /**
     * As DL4J after every truncated-BPTT fit, the rnnTimeStep state becomes the newest TBPTT state; our layers hand
     * over their arrays without the copy their {@code rnnGetTBPTTState()} makes ({@link TbpttStateCarrier}).
     */
    @Override
    protected void rnnUpdateStateWithTBPTTState() {
        for (Layer layer : getLayers()) {
            if (layer instanceof TbpttStateCarrier carrier) {
                carrier.previousStateFromTbptt();
            } else if (layer instanceof RecurrentLayer r) {
                r.rnnSetPreviousState(r.rnnGetTBPTTState());
            }
        }
    }

    /** Forgets the recurrent state, whatever {@code carryState} says (d2l: a fresh state). */
    public void resetState() {
        super.rnnClearPreviousState();
    }

    @Override
    public void rnnClearPreviousState() {
        if (!carryState) {
            super.rnnClearPreviousState();
        }
    }
}
