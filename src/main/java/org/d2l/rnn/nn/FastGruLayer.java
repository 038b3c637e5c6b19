package org.d2l.rnn.nn;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime layer of {@link FastGru}: forward pass and BPTT by {@link GruKernel}, state handling of DL4J's
 * {@link BaseRecurrentLayer} (state key {@value #STATE_H}: h of the last step).
 *
 * <p>No SameDiff graph is involved, so the 2x gradient error of M2.1's SameDiff layer runtime does not apply and
 * nothing is rescaled. The state, workspace and gradient plumbing is {@link KernelLayerAdapter}'s.
 */
public class FastGruLayer extends BaseRecurrentLayer<FastGru> implements TimeReversible, ReleasableBuffers {
    /** Key of the hidden state in {@code rnnGetPreviousState()}. */
    public static final String STATE_H = "h";

    private final KernelLayerAdapter<GruKernel> adapter = new KernelLayerAdapter<>("FastGru", List.of(STATE_H),
            GateParams.KEYS, GruKernel::reuseOrCreate);

    @Override
    public KernelLayerAdapter<?> kernelAdapter() {
        return adapter;
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

    /** The layer's dropout (if configured) first replaces the input, as in DL4J's LSTM; then the kernel. */
    private INDArray forward(Map<String, INDArray> startFrom, boolean training, LayerWorkspaceMgr workspaceMgr,
                             Map<String, INDArray> storeEndIn) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        return adapter.forward(input, layerConf().getNOut(), dataType, startFrom, storeEndIn, workspaceMgr,
                (kernel, initial) -> {
                    kernel.forward(input, initial[0], paramTable());
                    return new INDArray[] {kernel.lastHidden()};
                });
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Pair<Gradient, INDArray> result = adapter.backward(input, layerConf().getLayerName(), gradientsFlattened,
                gradientViews, workspaceMgr, kernel -> kernel.backward(epsilon, tbpttBackLength, gradientViews));
        return new Pair<>(result.getFirst(), backpropDropOutIfPresent(result.getSecond()));
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void releaseBuffers() {
        adapter.release();
    }
}
