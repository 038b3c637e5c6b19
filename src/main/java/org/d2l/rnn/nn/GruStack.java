package org.d2l.rnn.nn;

import java.util.List;
import java.util.Map;
import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * d2l's multi-layer GRU — PyTorch's {@code nn.GRU(num_layers=L, dropout=p)} — over whole sequences, for code that
 * is not a DL4J layer: custom graph vertices (the seq2seq decoder) and step-by-step inference. Layer l + 1 reads
 * the hidden states of layer l, every layer starts from its own initial state, and in training the outputs of
 * every layer but the top one go through inverted dropout (kept with probability 1 − p, scaled by 1 / (1 − p)).
 * Forward pass and BPTT are {@link GruKernel}'s, the same as {@link FastGru}'s.
 *
 * <p>Parameters: one map per layer, keyed like {@link GateParams} (layer 0's Wx is [nIn, 3H], the others'
 * [H, 3H]). Every array returned is a view into buffers that the next call with the same shapes overwrites: copy
 * what must outlive it. Buffers are made in the caller's workspace scope, so call this outside DL4J workspaces.
 */
public final class GruStack {
    private final long hidden;
    private final double dropout;
    private final DataType dataType;
    private final GruKernel[] kernels;
    /** Each layer's kernel of the shape before (a short last minibatch and back), as {@link KernelLayerAdapter}'s. */
    private final GruKernel[] spares;
    /** Inverted-dropout factors applied to the outputs of layers 0 .. L-2 in the last forward pass (null: none). */
    private final INDArray[] dropoutMasks;
    /** Per layer below the top: the buffers of the dropout factors and of the dropped output, time-major rows. */
    private final INDArray[] maskRows;
    private final INDArray[] droppedRows;

    /** {@code dropout}: d2l's drop probability between layers, in [0, 1). */
    public GruStack(int layers, long hidden, double dropout, DataType dataType) {
        Preconditions.checkArgument(layers > 0, "a GRU stack needs at least one layer, got %s", layers);
        Preconditions.checkArgument(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got %s", dropout);
        this.hidden = hidden;
        this.dropout = dropout;
        this.dataType = dataType;
        this.kernels = new GruKernel[layers];
        this.spares = new GruKernel[layers];
        this.dropoutMasks = new INDArray[layers - 1];
        this.maskRows = new INDArray[layers - 1];
        this.droppedRows = new INDArray[layers - 1];
    }

    public int layers() {
        return kernels.length;
    }

    /**
     * Runs every layer over {@code input} [B, nIn, T], layer l from {@code initialStates[l]} [B, H]; dropout only
     * if {@code training}. Returns the top layer's h_1 .. h_T, [B, H, T].
     */
    public INDArray forward(INDArray input, INDArray[] initialStates, List<Map<String, INDArray>> params,
                            boolean training) {
        return forward(input, null, initialStates, params, training);
    }

    /**
     * {@link #forward(INDArray, INDArray[], List, boolean)} where the bottom layer's input at every step is
     * {@code [input_t, context]} (d2l 9.7's decoder: the embedded token and the encoder's context [B, C]; null: none):
     * layer 0's Wx is [nIn + C, 3H], and the context's gate terms are computed once per sequence, not from a
     * [B, nIn + C, T] copy. {@link #contextGradient} then holds dL/dContext after {@link #backward}.
     */
    public INDArray forward(INDArray input, INDArray context, INDArray[] initialStates,
                            List<Map<String, INDArray>> params, boolean training) {
        Preconditions.checkArgument(initialStates.length == kernels.length && params.size() == kernels.length,
                "%s layers need %s initial states and parameter sets, got %s and %s", kernels.length,
                kernels.length, initialStates.length, params.size());
        INDArray layerInput = input;
        for (int l = 0; l < kernels.length; l++) {
            if (kernels[l] != null && !kernels[l].fits(layerInput, hidden, dataType)) {
                GruKernel previous = kernels[l];
                kernels[l] = spares[l] != null && spares[l].fits(layerInput, hidden, dataType) ? spares[l] : null;
                if (kernels[l] == null && spares[l] != null) {
                    spares[l].release();
                }
                spares[l] = previous;
            }
            kernels[l] = GruKernel.reuseOrCreate(kernels[l], layerInput, hidden, dataType);
            kernels[l].forward(layerInput, l == 0 ? context : null, initialStates[l], params.get(l));
            if (l < dropoutMasks.length) {
                dropoutMasks[l] = null;
                layerInput = kernels[l].output();
                if (training && dropout > 0) {
                    // on the time-major rows, into a kept buffer: the next kernel reads its input as one block
                    INDArray rows = kernels[l].outputRows();
                    dropoutMasks[l] = dropoutMask(l, rows.shape());
                    Nd4j.getExecutioner().exec(new MulOp(rows, dropoutMasks[l], droppedRows[l]));
                    layerInput = TimeMajor.sequence(droppedRows[l], layerInput.size(0));
                }
            }
        }
        return output();
    }

    /** Layer {@code layer}'s new inverted-dropout factors, in a buffer kept while the shape stays (so is its output's). */
    private INDArray dropoutMask(int layer, long[] shape) {
        if (maskRows[layer] == null || !java.util.Arrays.equals(maskRows[layer].shape(), shape)) {
            NativeArrays.free(maskRows[layer], droppedRows[layer]);
            maskRows[layer] = Nd4j.createUninitialized(dataType, shape);
            droppedRows[layer] = Nd4j.createUninitialized(dataType, shape);
        }
        return InvertedDropout.fill(maskRows[layer], dropout);
    }

    /** The top layer's h_1 .. h_T of the last forward pass, [B, H, T]. */
    public INDArray output() {
        return layerOutput(kernels.length - 1);
    }

    /** Layer {@code layer}'s h_1 .. h_T of the last forward pass (before dropout), [B, H, T]. */
    public INDArray layerOutput(int layer) {
        return kernels[layer].output();
    }

    /** Layer {@code layer}'s h_T of the last forward pass, [B, H]. */
    public INDArray finalState(int layer) {
        return kernels[layer].lastHidden();
    }

    /**
     * BPTT through every layer and step of the last forward pass, from {@code epsilon} = dL/d(top output)
     * [B, H, T]. Writes each layer's parameter gradients into {@code gradients.get(l)} (views keyed like
     * {@link GateParams}) and returns dL/dInput [B, nIn, T] (without the context's part); {@link #initialStateGradient}
     * then holds dL/dh0.
     */
    public INDArray backward(INDArray epsilon, List<Map<String, INDArray>> gradients) {
        INDArray gradient = epsilon;
        for (int l = kernels.length - 1; l >= 0; l--) {
            gradient = kernels[l].backward(gradient, -1, gradients.get(l));
            if (l > 0 && dropoutMasks[l - 1] != null) {
                INDArray rows = TimeMajor.rowsView(gradient); // the kernel's own dL/dX rows: scaled in place
                if (rows != null) {
                    Nd4j.getExecutioner().exec(new MulOp(rows, dropoutMasks[l - 1], rows));
                } else {
                    gradient = gradient.mul(TimeMajor.sequence(dropoutMasks[l - 1], gradient.size(0)));
                }
            }
        }
        return gradient;
    }

    /** dL/dContext [B, C] from the last {@link #backward} pass, after a forward pass with a context. View. */
    public INDArray contextGradient() {
        return kernels[0].contextGradient();
    }

    /** dL/dh0 of layer {@code layer} [B, H], from the last {@link #backward} pass. */
    public INDArray initialStateGradient(int layer) {
        return kernels[layer].initialStateGradient();
    }

    /** Frees every layer's buffers now (views handed out before die with them); the next forward makes new ones. */
    public void release() {
        for (int l = 0; l < kernels.length; l++) {
            if (kernels[l] != null) {
                kernels[l].release();
                kernels[l] = null;
            }
            if (spares[l] != null) {
                spares[l].release();
                spares[l] = null;
            }
        }
        for (int l = 0; l < maskRows.length; l++) {
            NativeArrays.free(maskRows[l], droppedRows[l]);
            maskRows[l] = null;
            droppedRows[l] = null;
            dropoutMasks[l] = null;
        }
    }
}
