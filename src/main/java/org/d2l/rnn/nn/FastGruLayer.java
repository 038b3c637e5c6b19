package org.d2l.rnn.nn;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.base.Preconditions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime layer of {@link FastGru}: forward pass and BPTT by {@link GruKernel}, state handling of DL4J's
 * {@link BaseRecurrentLayer} (state key {@value #STATE_H}: h of the last step).
 *
 * <p>No SameDiff graph is involved, so the 2x gradient error of M2.1's SameDiff layer runtime does not apply and
 * nothing is rescaled. The kernel's buffers live outside DL4J's workspaces (they are reused across iterations);
 * only the returned activations and dL/dInput are copied into the ACTIVATIONS / ACTIVATION_GRAD workspaces, and
 * parameter gradients are written into the layer's gradient views.
 */
public class FastGruLayer extends BaseRecurrentLayer<FastGru> implements TimeReversible, ReleasableBuffers {
    /** Key of the hidden state in {@code rnnGetPreviousState()}. */
    public static final String STATE_H = "h";
    private static final List<String> STATES = List.of(STATE_H);

    private GruKernel kernel;

    /** Set by {@link FusedBidirectionalLayer} on its backward-in-time half. */
    private boolean timeReversed;

    @Override
    public void setTimeReversed(boolean reversed) {
        timeReversed = reversed;
    }

    @Override
    public boolean runsOnKernel() {
        return input != null && input.rank() == 3;
    }

    public FastGruLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(null, training, workspaceMgr, null);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return forward(stateMap, false, workspaceMgr, stateMap);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return forward(tBpttStateMap, training, workspaceMgr, storeLastForTBPTT ? tBpttStateMap : null);
    }

    /**
     * Runs the kernel from the state in {@code startFrom} (zeros if absent); stores h_T in {@code storeEndIn}.
     * In training, the layer's dropout (if configured) first replaces the input, as in DL4J's LSTM.
     */
    private INDArray forward(Map<String, INDArray> startFrom, boolean training, LayerWorkspaceMgr workspaceMgr,
                             Map<String, INDArray> storeEndIn) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        long hidden = layerConf().getNOut();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray h0 = RecurrentStates.stored(startFrom, STATES, input.size(0))[0];
            kernel = GruKernel.reuseOrCreate(kernel, input, hidden, dataType);
            kernel.setTimeReversed(timeReversed);
            kernel.forward(input, h0, paramTable());
            if (storeEndIn != null) {
                RecurrentStates.store(storeEndIn, STATES, kernel.lastHidden());
            }
        }
        return kernel.activations(workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
    }

    /**
     * Reuses the buffers of the forward pass, which DL4J always runs on the same input first (in fit, truncated
     * BPTT, gradient checks and the Bidirectional/LastTimeStep wrappers); that pass may have started from a
     * carried state, so it cannot be recomputed here.
     */
    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Preconditions.checkState(kernel != null && kernel.computedFrom(input),
                "FastGru %s: backprop needs the forward pass on the same input first", layerConf().getLayerName());
        INDArray dX;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            dX = kernel.backward(epsilon, tbpttBackLength, gradientViews);
        }
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (String key : GateParams.KEYS) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }
        return new Pair<>(gradient, backpropDropOutIfPresent(kernel.inputGradient(workspaceMgr, dX)));
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void releaseBuffers() {
        if (kernel != null) {
            kernel.release();
            kernel = null;
        }
    }
}
