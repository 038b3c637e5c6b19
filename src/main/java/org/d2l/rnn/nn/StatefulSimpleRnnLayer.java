package org.d2l.rnn.nn;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.params.SimpleRnnParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime of {@link StatefulSimpleRnn}: h_t = act(x_t W + h_{t-1} R + b), run by {@link RnnKernel}, with
 * training forward passes that start from the stored state and a backward pass over the same trajectory (see
 * {@link StatefulSimpleRnn} for the DL4J bug this replaces). {@code rnnTimeStep} runs the same kernel from the
 * stored state: DL4J's own step took ~200 us a character at hidden size 256, four times the fused LSTM's in an
 * {@link InferenceSession} (PROFILE.md round 11).
 */
public class StatefulSimpleRnnLayer extends SimpleRnn implements TimeReversible, ReleasableBuffers,
        TbpttStateCarrier, InputGradientOptional {
    private final KernelLayerAdapter<RnnKernel> adapter = new KernelLayerAdapter<>("SimpleRnn",
            List.of(STATE_KEY_PREV_ACTIVATION), List.of(SimpleRnnParamInitializer.WEIGHT_KEY,
            SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, SimpleRnnParamInitializer.BIAS_KEY),
            RnnKernel::reuseOrCreate);
    /** The array the last forward pass ran on (the input, cast to the layer's data type). */
    private INDArray forwardInput;

    @Override
    public KernelLayerAdapter<?> kernelAdapter() {
        return adapter;
    }

    public StatefulSimpleRnnLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        return forward(null, training, mgr, null);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr mgr) {
        setInput(input, mgr);
        return forward(stateMap, false, mgr, stateMap);
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
        applyDropOutIfNecessary(training, mgr);
        INDArray in = input.castTo(dataType);
        forwardInput = in;
        return adapter.forward(in, layerConf().getNOut(), dataType, startFrom, storeEndIn,
                storeEndIn == tBpttStateMap, mgr, (kernel, initial) -> {
            kernel.forward(in, initial[0], paramTable(), layerConf().getActivationFn(), training);
            return new INDArray[] {kernel.lastHidden()};
        });
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        return tbpttBackpropGradient(epsilon, -1, mgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        Pair<Gradient, INDArray> result = adapter.backward(forwardInput, layerConf().getLayerName(),
                gradientsFlattened, gradientViews, mgr,
                kernel -> kernel.backward(epsilon, tbpttBackLength, paramTable(), gradientViews));
        weightNoiseParams.clear();
        return new Pair<>(result.getFirst(),
                result.getSecond() == null ? null : backpropDropOutIfPresent(result.getSecond()));
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
