package org.d2l.rnn.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.params.SimpleRnnParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of {@link StatefulSimpleRnn}: h_t = act(x_t W + h_{t-1} R + b), with training forward passes that
 * start from the stored state and a backward pass over the same trajectory (see {@link StatefulSimpleRnn} for
 * the DL4J bug this replaces). Inference ({@code rnnTimeStep}) is DL4J's own.
 */
public class StatefulSimpleRnnLayer extends SimpleRnn {
    /** The state the last training forward pass started from (null: zeros); the backward pass needs it. */
    private INDArray forwardInitialState;

    public StatefulSimpleRnnLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        forwardInitialState = null;
        return forward(null, training, mgr, null);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr mgr) {
        setInput(input, mgr);
        forwardInitialState = tBpttStateMap.get(STATE_KEY_PREV_ACTIVATION); // where DL4J's TBPTT keeps it, as for LSTM
        INDArray out = forward(forwardInitialState, training, mgr, null);
        if (storeLastForTBPTT) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                tBpttStateMap.put(STATE_KEY_PREV_ACTIVATION, out.get(all(), all(), point(out.size(2) - 1)).dup());
            }
        }
        return out;
    }

    /** The recurrence over all steps; fills {@code preActivations} (z_t) when the backward pass needs them. */
    private INDArray forward(INDArray initial, boolean training, LayerWorkspaceMgr mgr, INDArray preActivations) {
        assertInputSet(false);
        if (maskArray != null) {
            throw new IllegalStateException("StatefulSimpleRnn does not support masks; use DL4J's SimpleRnn for masked input");
        }
        applyDropOutIfNecessary(training, mgr);
        INDArray in = fOrder(input.castTo(dataType), mgr);
        long steps = in.size(2);
        INDArray w = getParamWithNoise(SimpleRnnParamInitializer.WEIGHT_KEY, training, mgr);
        INDArray rw = getParamWithNoise(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr);
        INDArray b = getParamWithNoise(SimpleRnnParamInitializer.BIAS_KEY, training, mgr);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(),
                new long[] {in.size(0), layerConf().getNOut(), steps}, 'f');
        Nd4j.getExecutioner().exec(new BroadcastCopyOp(out, b, out, 1));
        IActivation act = layerConf().getActivationFn();
        INDArray previous = initial;
        for (int t = 0; t < steps; t++) {
            INDArray current = out.get(all(), all(), point(t));
            Nd4j.gemm(in.get(all(), all(), point(t)), w, current, false, false, 1.0, 1.0);
            if (previous != null) {
                Nd4j.gemm(previous, rw, current, false, false, 1.0, 1.0);
            }
            if (preActivations != null) {
                preActivations.get(all(), all(), point(t)).assign(current);
            }
            act.getActivation(current, training);
            previous = current;
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        if (epsilon.ordering() != 'f' || !Shape.hasDefaultStridesForShape(epsilon)) {
            epsilon = epsilon.dup('f');
        }
        INDArray in = fOrder(input.castTo(dataType), mgr);
        long steps = in.size(2);
        INDArray z = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[] {in.size(0), layerConf().getNOut(), steps}, 'f');
        INDArray out = forward(forwardInitialState, true, mgr, z);
        INDArray w = getParamWithNoise(SimpleRnnParamInitializer.WEIGHT_KEY, true, mgr);
        INDArray rw = getParamWithNoise(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, true, mgr);
        INDArray wg = gradientViews.get(SimpleRnnParamInitializer.WEIGHT_KEY);
        INDArray rwg = gradientViews.get(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray bg = gradientViews.get(SimpleRnnParamInitializer.BIAS_KEY);
        gradientsFlattened.assign(0);
        IActivation act = layerConf().getActivationFn();
        INDArray epsOut = mgr.create(ArrayType.ACTIVATION_GRAD, dataType, in.shape(), 'f');
        long end = tbpttBackLength > 0 ? Math.max(0, steps - tbpttBackLength) : 0;
        INDArray dzNext = null;
        for (long t = steps - 1; t >= end; t--) {
            INDArray da = epsilon.get(all(), all(), point(t)).dup('f');
            if (dzNext != null) {
                Nd4j.gemm(dzNext, rw, da, false, true, 1.0, 1.0);
            }
            INDArray dz = act.backprop(z.get(all(), all(), point(t)).dup('f'), da).getFirst();
            bg.addi(dz.sum(0));
            Nd4j.gemm(in.get(all(), all(), point(t)), dz, wg, true, false, 1.0, 1.0);
            Nd4j.gemm(dz, w, epsOut.get(all(), all(), point(t)), false, true, 1.0, 0.0);
            INDArray hPrevious = t > 0 ? out.get(all(), all(), point(t - 1)) : forwardInitialState;
            if (hPrevious != null) { // the stored state's term DL4J leaves out
                Nd4j.gemm(hPrevious, dz, rwg, true, false, 1.0, 1.0);
            }
            dzNext = dz;
        }
        Gradient grad = new DefaultGradient(gradientsFlattened);
        grad.gradientForVariable().put(SimpleRnnParamInitializer.WEIGHT_KEY, wg);
        grad.gradientForVariable().put(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, rwg);
        grad.gradientForVariable().put(SimpleRnnParamInitializer.BIAS_KEY, bg);
        weightNoiseParams.clear();
        return new Pair<>(grad, backpropDropOutIfPresent(epsOut));
    }

    private static INDArray fOrder(INDArray a, LayerWorkspaceMgr mgr) {
        return a.ordering() == 'f' && !Shape.strideDescendingCAscendingF(a) ? a : mgr.dup(ArrayType.ACTIVATIONS, a, 'f');
    }

}
