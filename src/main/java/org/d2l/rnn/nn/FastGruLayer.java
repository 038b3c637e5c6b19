package org.d2l.rnn.nn;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime layer of {@link FastGru}: forward pass and BPTT by {@link GruKernel}, state handling of DL4J's
 * {@link BaseRecurrentLayer} (state key {@value #STATE_H}: h of the last step).
 *
 * <p>No SameDiff graph is involved, so the 2x gradient error of M2.1's SameDiff layer runtime does not apply and
 * nothing is rescaled. The state, workspace and gradient plumbing is {@link KernelLayerAdapter}'s.
 */
public class FastGruLayer extends BaseRecurrentLayer<FastGru> implements TimeReversible, ReleasableBuffers,
        TbpttStateCarrier, InputGradientOptional {
    /** Key of the hidden state in {@code rnnGetPreviousState()}. */
    public static final String STATE_H = "h";

    private final KernelLayerAdapter<GruKernel> adapter = new KernelLayerAdapter<>("FastGru", List.of(STATE_H),
            GateParams.KEYS, GruKernel::reuseOrCreate);
    /** The inverted-dropout factors of the last training forward pass when this layer applied them itself. */
    private INDArray ownDropoutMask;

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
        return adapter.forward(input, layerConf().getNOut(), dataType, startFrom, storeEndIn,
                storeEndIn == tBpttStateMap, workspaceMgr,
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
        return new Pair<>(result.getFirst(),
                result.getSecond() == null ? null : backpropDropOutIfPresent(result.getSecond()));
    }

    /**
     * DL4J's inverted dropout ({@link Dropout} with a fixed retain probability) on the time-major rows of the input,
     * where it has them (the embedding's and the kernels' activations): DL4J's own pass made a [B, C, T] array in
     * standard order, which the kernel then had to copy back to time-major rows with a strided assign — together
     * ~8% of a d2l 9.7 run (JFR). Same op and random stream as DL4J's (the mask's elements in the rows' order).
     */
    @Override
    protected void applyDropOutIfNecessary(boolean training, LayerWorkspaceMgr workspaceMgr) {
        ownDropoutMask = null;
        INDArray rows;
        if (!training || dropoutApplied || !(layerConf().getIDropout() instanceof Dropout dropout)
                || dropout.getPSchedule() != null || (rows = TimeMajor.rowsView(input)) == null
                || input.dataType() != dataType) {
            super.applyDropOutIfNecessary(training, workspaceMgr);
            return;
        }
        INDArray mask = workspaceMgr.createUninitialized(ArrayType.INPUT, dataType, rows.shape(), 'c').assign(1.0);
        Nd4j.getExecutioner().exec(new DropOutInverted(mask, mask, dropout.getP()));
        INDArray dropped = workspaceMgr.createUninitialized(ArrayType.INPUT, dataType, rows.shape(), 'c');
        Nd4j.getExecutioner().exec(new MulOp(rows, mask, dropped));
        input = TimeMajor.sequence(dropped, input.size(0));
        ownDropoutMask = mask;
        dropoutApplied = true;
    }

    @Override
    protected INDArray backpropDropOutIfPresent(INDArray epsilon) {
        INDArray rows = ownDropoutMask == null ? null : TimeMajor.rowsView(epsilon);
        if (rows == null) {
            return super.backpropDropOutIfPresent(epsilon);
        }
        Nd4j.getExecutioner().exec(new MulOp(rows, ownDropoutMask, rows));
        return epsilon;
    }

    @Override
    public void clear() {
        super.clear();
        ownDropoutMask = null;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
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
