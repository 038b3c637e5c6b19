package org.d2l.rnn.nn;

/**
 * A recurrent runtime layer of this package that can run in reversed time by itself — read its input from the
 * last step to the first and hand back activations and dL/dInput in the input's order — so that
 * {@link FusedBidirectionalLayer} needs no reversed copies of the sequences. The direction lives in the layer's
 * {@link KernelLayerAdapter}.
 */
interface TimeReversible {

    /** The adapter that runs the layer's kernel and holds its direction. */
    KernelLayerAdapter<?> kernelAdapter();

    /** Sets the direction of the following passes (reset to false for any other use). */
    default void setTimeReversed(boolean reversed) {
        kernelAdapter().setTimeReversed(reversed);
    }

    /** The input just set (DL4J's {@code AbstractLayer} has it). */
    org.nd4j.linalg.api.ndarray.INDArray getInput();

    /**
     * Whether the passes on the input just set run on the fused kernel, which honours the direction: any sequence
     * input [B, nIn, T]; a layer with a fallback path narrows it.
     */
    default boolean runsOnKernel() {
        var input = getInput();
        return input != null && input.rank() == 3;
    }
}
