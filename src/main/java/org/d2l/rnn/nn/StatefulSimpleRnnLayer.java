package org.d2l.rnn.nn;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.params.SimpleRnnParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of {@link StatefulSimpleRnn}: h_t = act(x_t W + h_{t-1} R + b), run by {@link RnnKernel}, with
 * training forward passes that start from the stored state and a backward pass over the same trajectory (see
 * {@link StatefulSimpleRnn} for the DL4J bug this replaces). Inference ({@code rnnTimeStep}) is DL4J's own.
 */
public class StatefulSimpleRnnLayer extends SimpleRnn implements TimeReversible, ReleasableBuffers {
    private static final List<String> STATES = List.of(STATE_KEY_PREV_ACTIVATION);
    private RnnKernel kernel;

    /** Set by {@link FusedBidirectionalLayer} on its backward-in-time half. */
    private boolean timeReversed;

    @Override
    public void setTimeReversed(boolean reversed) {
        timeReversed = reversed;
    }

    @Override
    public boolean runsOnKernel() {
        return maskArray == null && input != null && input.rank() == 3;
    }

    public StatefulSimpleRnnLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        return forward(null, training, mgr, null);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr mgr) {
        setInput(input, mgr);
        return forward(tBpttStateMap, training, mgr, storeLastForTBPTT ? tBpttStateMap : null);
    }

    private INDArray forward(Map<String, INDArray> startFrom, boolean training, LayerWorkspaceMgr mgr,
                             Map<String, INDArray> storeEndIn) {
        assertInputSet(false);
        if (maskArray != null) {
            throw new IllegalStateException("StatefulSimpleRnn does not support masks; use DL4J's SimpleRnn for masked input");
        }
        applyDropOutIfNecessary(training, mgr);
        long hidden = layerConf().getNOut();
        INDArray in = input.castTo(dataType);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray h0 = RecurrentStates.stored(startFrom, STATES, in.size(0))[0];
            kernel = RnnKernel.reuseOrCreate(kernel, in, hidden, dataType);
            kernel.setTimeReversed(timeReversed);
            kernel.forward(in, h0, paramTable(), layerConf().getActivationFn(), training);
            if (storeEndIn != null) {
                RecurrentStates.store(storeEndIn, STATES, kernel.lastHidden());
            }
        }
        forwardInput = in;
        return kernel.activations(mgr);
    }

    /** The array the last forward pass ran on (the input, cast to the layer's data type). */
    private INDArray forwardInput;

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        return tbpttBackpropGradient(epsilon, -1, mgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        if (kernel == null || !kernel.computedFrom(forwardInput)) {
            throw new IllegalStateException("SimpleRnn " + layerConf().getLayerName()
                    + ": backprop needs the forward pass on the same input first");
        }
        INDArray dX;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            dX = kernel.backward(epsilon, tbpttBackLength, paramTable(), gradientViews);
        }
        Gradient grad = new DefaultGradient(gradientsFlattened);
        for (String key : List.of(SimpleRnnParamInitializer.WEIGHT_KEY, SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY,
                SimpleRnnParamInitializer.BIAS_KEY)) {
            grad.gradientForVariable().put(key, gradientViews.get(key));
        }
        weightNoiseParams.clear();
        return new Pair<>(grad, backpropDropOutIfPresent(kernel.inputGradient(mgr, dX)));
    }

    @Override
    public void releaseBuffers() {
        if (kernel != null) {
            kernel.release();
            kernel = null;
        }
    }
}
