package org.d2l.rnn.nn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime of {@link StatefulLstm}: DL4J's LSTM (its parameters and equations), run by {@link LstmKernel} —
 * whole-sequence input projections and a hand-written backward pass — with a backward pass that starts from the
 * state the training forward pass started from.
 *
 * <p>Why the state: under truncated BPTT DL4J 1.0.0-M2.1's ComputationGraph runs an LSTM's forward pass from the
 * stored TBPTT state but then calls the plain {@code backpropGradient}, which recomputes the forward pass from a
 * ZERO state; the gradient then belongs to another trajectory than the loss (with d2l's sequential partitioning
 * the concise LSTM stalled at perplexity 2.2 where PyTorch reaches 1.04). The kernel keeps its forward buffers, so
 * its backward pass always matches the forward pass that ran.
 *
 * <p>Other activations or NWC data go through DL4J's own code, given the right state. Feature masks are not read
 * on either path (the package documentation says why): DL4J's code runs with the mask set aside.
 */
public class StatefulLstmLayer extends LSTM implements TimeReversible, ReleasableBuffers,
        TbpttStateCarrier, InputGradientOptional {
    private final KernelLayerAdapter<LstmKernel> adapter = new KernelLayerAdapter<>("LSTM",
            List.of(STATE_KEY_PREV_ACTIVATION, STATE_KEY_PREV_MEMCELL), List.of(LSTMParamInitializer.INPUT_WEIGHT_KEY,
            LSTMParamInitializer.RECURRENT_WEIGHT_KEY, LSTMParamInitializer.BIAS_KEY), LstmKernel::reuseOrCreate);
    /** Whether the last forward pass ran on the kernel (else DL4J's code, from {@link #forwardInitialState}). */
    private boolean kernelForward;
    private Map<String, INDArray> forwardInitialState = Map.of();

    public StatefulLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public KernelLayerAdapter<?> kernelAdapter() {
        return adapter;
    }

    @Override
    public boolean runsOnKernel() {
        return kernelApplies();
    }

    private boolean kernelApplies() {
        var c = layerConf();
        return input != null && input.rank() == 3 && c.getActivationFn() instanceof ActivationTanH
                && c.getGateActivationFn() instanceof ActivationSigmoid && c.getRnnDataFormat() == RNNFormat.NCW;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        if (kernelApplies()) {
            return forward(null, training, mgr, null);
        }
        kernelForward = false;
        forwardInitialState = Map.of();
        return withoutMask(() -> super.activate(training, mgr));
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr mgr) {
        setInput(input, mgr);
        return activate(training, mgr);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr mgr) {
        setInput(input, mgr);
        if (kernelApplies()) {
            return forward(stateMap, false, mgr, stateMap);
        }
        kernelForward = false;
        return withoutMask(() -> super.rnnTimeStep(input, mgr));
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr mgr) {
        setInput(input, mgr);
        if (kernelApplies()) {
            return forward(tBpttStateMap, training, mgr, storeLastForTBPTT ? tBpttStateMap : null);
        }
        kernelForward = false;
        forwardInitialState = new HashMap<>(tBpttStateMap);
        return withoutMask(() -> super.rnnActivateUsingStoredState(input, training, storeLastForTBPTT, mgr));
    }

    /** The kernel from the state in {@code startFrom} (zeros if absent); stores (h_T, c_T) in {@code storeEndIn}. */
    private INDArray forward(Map<String, INDArray> startFrom, boolean training, LayerWorkspaceMgr mgr,
                             Map<String, INDArray> storeEndIn) {
        applyDropOutIfNecessary(training, mgr);
        kernelForward = true;
        return adapter.forward(input, layerConf().getNOut(), dataType, startFrom, storeEndIn,
                storeEndIn == tBpttStateMap, mgr, (kernel, initial) -> {
            kernel.forward(input, initial[0], initial[1], paramTable());
            return new INDArray[] {kernel.lastHidden(), kernel.lastCell()};
        });
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        if (kernelForward) {
            return kernelBackward(epsilon, -1, mgr);
        }
        if (forwardInitialState.isEmpty()) {
            return withoutMask(() -> super.backpropGradient(epsilon, mgr));
        }
        return tbpttBackpropGradient(epsilon, epsilon.rank() == 3 ? (int) epsilon.size(2) : 1, mgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength, LayerWorkspaceMgr mgr) {
        if (kernelForward) {
            return kernelBackward(epsilon, tbpttBackLength, mgr);
        }
        // DL4J's TBPTT backward pass recomputes the forward pass from stateMap: give it the right state
        Map<String, INDArray> timeStepState = new HashMap<>(stateMap);
        stateMap.clear();
        stateMap.putAll(forwardInitialState);
        try {
            return withoutMask(() -> super.tbpttBackpropGradient(epsilon, tbpttBackLength, mgr));
        } finally {
            stateMap.clear();
            stateMap.putAll(timeStepState);
        }
    }

    private Pair<Gradient, INDArray> kernelBackward(INDArray epsilon, int backLength, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        Pair<Gradient, INDArray> result = adapter.backward(input, layerConf().getLayerName(), gradientsFlattened,
                gradientViews, mgr, kernel -> kernel.backward(epsilon, backLength, gradientViews));
        weightNoiseParams.clear();
        return new Pair<>(result.getFirst(),
                result.getSecond() == null ? null : backpropDropOutIfPresent(result.getSecond()));
    }

    /** DL4J's own code with the mask set aside, so that both paths treat masks alike (they do not read them). */
    private <T> T withoutMask(java.util.function.Supplier<T> call) {
        INDArray mask = maskArray;
        maskArray = null;
        try {
            return call.get();
        } finally {
            maskArray = mask;
        }
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        adapter.setInputGradientNeeded(needed);
    }

    @Override
    public void releaseBuffers() {
        adapter.release();
    }

    /** Copies: the stored arrays are reused by later minibatches ({@link TbpttStateCarrier}). */
    @Override
    public Map<String, INDArray> rnnGetTBPTTState() {
        return RecurrentStates.copies(tBpttStateMap);
    }

    @Override
    public void previousStateFromTbptt() {
        rnnSetPreviousState(tBpttStateMap);
    }
}
