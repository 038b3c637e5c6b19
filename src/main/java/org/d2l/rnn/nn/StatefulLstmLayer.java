package org.d2l.rnn.nn;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime of {@link StatefulLstm}: DL4J's LSTM, with a backward pass that starts from the state the training
 * forward pass started from.
 *
 * <p>Why: under truncated BPTT DL4J 1.0.0-M2.1's ComputationGraph runs an LSTM's forward pass from the stored
 * TBPTT state but then calls the plain {@code backpropGradient}, which recomputes the forward pass from a ZERO
 * state. The gradient then belongs to another trajectory than the loss; with d2l's sequential partitioning (state
 * carried between minibatches) the concise LSTM stalled at perplexity 2.2 where PyTorch reaches 1.04. Here every
 * backward pass after a stored-state forward pass goes through DL4J's own TBPTT backward code, given that state.
 */
public class StatefulLstmLayer extends LSTM {
    /** The state the last training forward pass started from (empty: zeros). */
    private Map<String, INDArray> forwardInitialState = Map.of();

    public StatefulLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        forwardInitialState = Map.of();
        return super.activate(training, mgr);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr mgr) {
        forwardInitialState = Map.of();
        return super.activate(input, training, mgr);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr mgr) {
        forwardInitialState = new HashMap<>(tBpttStateMap);
        return super.rnnActivateUsingStoredState(input, training, storeLastForTBPTT, mgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        if (forwardInitialState.isEmpty()) {
            return super.backpropGradient(epsilon, mgr);
        }
        return tbpttBackpropGradient(epsilon, epsilon.rank() == 3 ? (int) epsilon.size(2) : 1, mgr);
    }

    /** DL4J's TBPTT backward pass recomputes the forward pass from {@code stateMap}; give it the right state. */
    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength, LayerWorkspaceMgr mgr) {
        Map<String, INDArray> timeStepState = new HashMap<>(stateMap);
        stateMap.clear();
        stateMap.putAll(forwardInitialState);
        try {
            return super.tbpttBackpropGradient(epsilon, tbpttBackLength, mgr);
        } finally {
            stateMap.clear();
            stateMap.putAll(timeStepState);
        }
    }
}
