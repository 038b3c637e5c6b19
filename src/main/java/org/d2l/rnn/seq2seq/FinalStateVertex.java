package org.d2l.rnn.seq2seq;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.d2l.rnn.nn.StepSelection;
import org.d2l.rnn.nn.TimeMajor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's {@link LastTimeStepVertex} (the state [B, H] of a sequence [B, H, T] at the last step where the named
 * network input's mask is 1) for right-padded masks, with whole-batch ops: DL4J's runtime copies one row per
 * example forward and backward, which cost about a fifth of a seq2seq training step at batch 64. Here the mask
 * becomes a one-hot weight of each row's last real step, w[i, t] = mask[i, t] − mask[i, t + 1], and the state
 * is Σ_t input[:, :, t] · w[:, t]; the gradient is epsilon spread by the same weights. On host float/double
 * arrays both are Java loops ({@link StepSelection}: a row copy per sample, the gradient handed back as time-major
 * rows), elsewhere ND4J ops. Without a mask it is DL4J's vertex (the last step).
 */
public class FinalStateVertex extends LastTimeStepVertex {

    /** For JSON deserialisation. */
    public FinalStateVertex() {
        super(null);
    }

    /** @param maskArrayInputName the network input whose mask marks each sequence's real steps */
    public FinalStateVertex(String maskArrayInputName) {
        super(maskArrayInputName);
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.impl.rnn.LastTimeStepVertex instantiate(
            ComputationGraph graph, String name, int idx, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        return new BatchedRuntime(graph, name, idx, getMaskArrayInputName(), dataType);
    }

    @Override
    public GraphVertex clone() {
        return new FinalStateVertex(getMaskArrayInputName());
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == FinalStateVertex.class && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    @Override
    public String toString() {
        return "FinalStateVertex(inputName=" + getMaskArrayInputName() + ")";
    }

    private static final class BatchedRuntime extends org.deeplearning4j.nn.graph.vertex.impl.rnn.LastTimeStepVertex {
        private final int maskInput;
        /** One-hot [B, T] of each row's last real step, from the last forward pass; null if it had no mask. */
        private INDArray lastStepWeights;
        /** The same weights as w[b·T + t] when the last forward pass took the Java loops; null otherwise. */
        private double[] hostWeights;
        private final StepSelection selection = new StepSelection();

        BatchedRuntime(ComputationGraph graph, String name, int index, String maskArrayInputName, DataType dataType) {
            super(graph, name, index, maskArrayInputName, dataType);
            maskInput = graph.getConfiguration().getNetworkInputs().indexOf(maskArrayInputName);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray[] masks = graph.getInputMaskArrays();
            INDArray mask = masks == null ? null : masks[maskInput];
            if (mask == null) {
                lastStepWeights = null;
                hostWeights = null;
                return super.doForward(training, workspaceMgr);
            }
            INDArray states = inputs[0];
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, states.dataType(),
                    new long[]{states.size(0), states.size(1)}, 'c');
            if (StepSelection.fits(states, out) && mask.rank() == 2 && mask.size(0) == states.size(0)
                    && mask.size(1) == states.size(2)) {
                lastStepWeights = null;
                hostWeights = lastStepWeights(mask);
                selection.weightedSum(states, hostWeights, out);
                return out;
            }
            hostWeights = null;
            INDArray weighted;
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                long steps = mask.size(1);
                INDArray realSteps = mask.castTo(states.dataType());
                lastStepWeights = realSteps.dup();
                lastStepWeights.get(all(), interval(0, steps - 1)).subi(realSteps.get(all(), interval(1, steps)));
                weighted = Nd4j.getExecutioner().exec(new BroadcastMulOp(states, lastStepWeights,
                        states.ulike(), 0, 2));
            }
            return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, weighted.sum(2));
        }

        /** w[b·T + t] = mask[b, t] − mask[b, t + 1] (mask[b, T] = 0), read from the mask in Java. */
        private double[] lastStepWeights(INDArray mask) {
            int steps = (int) mask.size(1);
            double[] values = selection.values(mask);
            double[] w = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                w[i] = values[i] - (i % steps + 1 < steps ? values[i + 1] : 0);
            }
            return w;
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            if (hostWeights != null && StepSelection.fits(inputs[0], epsilon)) {
                INDArray states = inputs[0];
                long batch = states.size(0);
                // time-major rows, as the recurrent kernels below keep their sequences: their backward pass reads them
                // without a strided copy
                INDArray rows = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                        new long[]{states.size(2) * batch, states.size(1)}, 'c');
                INDArray inputGradient = TimeMajor.sequence(rows, batch);
                selection.spread(epsilon, hostWeights, inputGradient);
                return new Pair<>(null, new INDArray[]{inputGradient});
            }
            if (lastStepWeights == null) {
                return super.doBackward(tbptt, workspaceMgr);
            }
            INDArray states = inputs[0];
            INDArray inputGradient = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                    states.shape(), 'f');
            Nd4j.getExecutioner().exec(new BroadcastCopyOp(inputGradient, epsilon, inputGradient, 0, 1));
            Nd4j.getExecutioner().exec(new BroadcastMulOp(inputGradient, lastStepWeights, inputGradient, 0, 2));
            return new Pair<>(null, new INDArray[]{inputGradient});
        }
    }
}
