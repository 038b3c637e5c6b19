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

    /** Whether the passes on the input just set run on the fused kernel, which honours the direction. */
    boolean runsOnKernel();
}
