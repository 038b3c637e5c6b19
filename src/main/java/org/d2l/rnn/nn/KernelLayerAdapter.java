package org.d2l.rnn.nn;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one path between a DL4J recurrent runtime layer and its fused kernel, shared by {@link FastGruLayer},
 * {@link StatefulSimpleRnnLayer} and {@link StatefulLstmLayer} — by composition, because their DL4J base classes
 * differ ({@code BaseRecurrentLayer}, {@code SimpleRnn}, {@code LSTM}). Forward: the start state (stored, or
 * zeros) → the kernel (reused while the shape stays, in the direction {@link #setTimeReversed} set) → the end
 * state stored → h_1..h_T copied into DL4J's activation workspace. Backward: the kernel's BPTT over the buffers of
 * that same forward pass → the parameter gradients in the layer's gradient views → dL/dInput copied into DL4J's
 * gradient workspace. Kernel work runs outside DL4J's workspaces: its buffers and the stored states outlive the call.
 *
 * <p>Feature masks are not read (see the package documentation): every step is computed, padded ones included.
 * The layer applies its own dropout before {@link #forward} and after {@link #backward}, where DL4J's base classes
 * keep it.
 *
 * @param <K> the kernel type
 */
final class KernelLayerAdapter<K extends SequenceKernel> {
    /** How a layer makes its kernel: {@code reuseOrCreate(previous, input, hidden, dataType)} of the kernel class. */
    interface Factory<K> {
        K reuseOrCreate(K previous, INDArray input, long hidden, DataType dataType);
    }

    /** The kernel's forward pass from {@code initial} (in {@link #stateNames} order); returns the end states. */
    interface ForwardPass<K> {
        INDArray[] run(K kernel, INDArray[] initial);
    }

    /** The kernel's backward pass: parameter gradients into the views, returns dL/dInput [B, nIn, T]. */
    interface BackwardPass<K> {
        INDArray run(K kernel);
    }

    private final String what;
    private final List<String> stateNames;
    private final List<String> paramKeys;
    private final Factory<K> factory;
    /** The end states of truncated BPTT, stored without a new array per minibatch. */
    private final RecurrentStates.TbpttStore tbpttStore = new RecurrentStates.TbpttStore();
    /** The end states of rnnTimeStep, in place during an {@link InferenceSession}. */
    private final RecurrentStates.StepStore stepStore = new RecurrentStates.StepStore();
    private K kernel;
    /**
     * The kernel of the shape before, kept for when that shape comes back: an epoch whose last minibatch is short
     * (d2l 9.7: 601 pairs in batches of 64) otherwise made new kernels twice an epoch for every layer.
     */
    private K spare;
    /** Set by {@link FusedBidirectionalLayer} on its backward-in-time half. */
    private boolean timeReversed;
    /** False where the layer's input is a network input ({@link InputGradientOptional}). */
    private boolean inputGradientNeeded = true;

    /**
     * @param what       the layer type, for error messages
     * @param stateNames the keys of the layer's recurrent state in DL4J's state maps, in the kernel's order
     * @param paramKeys  the parameter keys whose gradient views the kernel fills
     */
    KernelLayerAdapter(String what, List<String> stateNames, List<String> paramKeys, Factory<K> factory) {
        this.what = what;
        this.stateNames = List.copyOf(stateNames);
        this.paramKeys = List.copyOf(paramKeys);
        this.factory = factory;
    }

    void setTimeReversed(boolean reversed) {
        timeReversed = reversed;
    }

    void setInputGradientNeeded(boolean needed) {
        inputGradientNeeded = needed;
    }

    /** {@link ReleasableBuffers#releaseBuffers} of the layer: the kernel's buffers now; the next pass makes new ones. */
    void release() {
        if (kernel != null) {
            kernel.release();
            kernel = null;
        }
        if (spare != null) {
            spare.release();
            spare = null;
        }
    }

    /** The kernel for {@code input}: the current one, the spare one, or a new one (the current becomes the spare). */
    private K kernelFor(INDArray input, long hidden, DataType dataType) {
        if (kernel != null && !kernel.fits(input, hidden, dataType)) {
            K previous = kernel;
            if (spare != null && spare.fits(input, hidden, dataType)) {
                kernel = spare;
            } else {
                if (spare != null) {
                    spare.release();
                }
                kernel = null;
            }
            spare = previous;
        }
        return factory.reuseOrCreate(kernel, input, hidden, dataType);
    }

    /**
     * Runs the kernel on {@code input} [B, nIn, T] from the state in {@code startFrom} (the kernel starts from zeros
     * in its own buffers where a state is absent or {@code startFrom} is null), stores the end state in {@code storeEndIn} (when not null), returns h_1..h_T in DL4J's workspace.
     */
    INDArray forward(INDArray input, long hidden, DataType dataType, Map<String, INDArray> startFrom,
                     Map<String, INDArray> storeEndIn, boolean truncatedBptt, LayerWorkspaceMgr mgr,
                     ForwardPass<K> pass) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray[] initial = RecurrentStates.stored(startFrom, stateNames, input.size(0));
            kernel = kernelFor(input, hidden, dataType);
            kernel.setTimeReversed(timeReversed);
            INDArray[] end = pass.run(kernel, initial);
            if (storeEndIn != null && truncatedBptt) {
                tbpttStore.store(storeEndIn, stateNames, end);
            } else if (storeEndIn != null) {
                stepStore.store(storeEndIn, stateNames, end);
            }
        }
        return kernel.activations(mgr);
    }

    /**
     * The backward pass of the forward pass that ran on {@code input}: DL4J always runs that forward pass first (fit,
     * truncated BPTT, gradient checks, the Bidirectional and LastTimeStep wrappers), and it may have started from a
     * carried state, so it is never recomputed here. Returns the gradient and dL/dInput (before the layer's dropout;
     * null where {@link #setInputGradientNeeded} said it is not needed).
     */
    Pair<Gradient, INDArray> backward(INDArray input, String layerName, INDArray gradientsFlattened,
                                      Map<String, INDArray> gradientViews, LayerWorkspaceMgr mgr,
                                      BackwardPass<K> pass) {
        if (kernel == null || !kernel.computedFrom(input)) {
            throw new IllegalStateException(what + " " + layerName
                    + ": backprop needs the forward pass on the same input first");
        }
        INDArray dX;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            kernel.setInputGradientNeeded(inputGradientNeeded);
            dX = pass.run(kernel);
        }
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (String key : paramKeys) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }
        return new Pair<>(gradient, dX == null ? null : kernel.inputGradient(mgr, dX));
    }
}
