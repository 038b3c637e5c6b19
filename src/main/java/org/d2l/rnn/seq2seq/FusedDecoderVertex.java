package org.d2l.rnn.seq2seq;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.d2l.rnn.nn.GruStack;
import org.d2l.rnn.nn.TimeMajor;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.params.SameDiffParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.base.Preconditions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link DecoderVertex} with {@link GruStack}: the forward pass and BPTT of the GRU layers run on the
 * fused GRU kernels (direct OpenBLAS matmuls, one vectorised step-math call per step) with a hand-written backward
 * pass, so no SameDiff graph is built and M2.1's doubled SameDiff gradients
 * do not arise. The gradient of the context (the top layer's initial state, also concatenated to every step) is
 * the sum of both uses.
 *
 * <p>The stack's buffers live outside DL4J's workspaces and are reused across iterations; only the returned
 * activations and input gradients are copied into the ACTIVATIONS / ACTIVATION_GRAD workspaces, and parameter
 * gradients are written into this vertex's gradient views.
 */
final class FusedDecoderVertex extends BaseGraphVertex implements org.d2l.rnn.nn.ReleasableBuffers {
    private final DecoderVertex config;
    private final INDArray paramsView;
    private final Map<String, INDArray> paramTable;
    private final List<Map<String, INDArray>> layerParams;
    private final GruStack stack;
    private INDArray gradientsView;
    private Map<String, INDArray> gradientTable;
    private List<Map<String, INDArray>> layerGradients;
    /** The embedded input of the last training forward pass: the backward pass must belong to it. */
    private INDArray forwardInput;

    FusedDecoderVertex(DecoderVertex config, ComputationGraph graph, String name, int index, INDArray paramsView,
                       boolean initializeParams, DataType dataType) {
        super(graph, name, index, null, null, dataType);
        this.config = config;
        this.paramsView = paramsView;
        SDVertexParams params = config.getVertexParams();
        paramTable = SameDiffParamInitializer.getInstance().subsetAndReshape(params.getParameterKeys(),
                params.getParamShapes(), paramsView, null, config);
        if (initializeParams) {
            config.initializeParameters(paramTable);
        }
        layerParams = DecoderVertex.byLayer(paramTable, config.getLayers());
        stack = new GruStack(config.getLayers(), config.getHidden(), config.getDropout(), dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray top;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray[] initialStates = Arrays.copyOfRange(inputs, 1, inputs.length);
            INDArray context = initialStates[initialStates.length - 1];
            top = stack.forward(inputs[0], context, initialStates, layerParams, training);
        }
        forwardInput = training ? inputs[0] : null;
        return copySequenceTo(ArrayType.ACTIVATIONS, top, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        Preconditions.checkState(forwardInput != null && forwardInput == inputs[0],
                "decoder vertex %s: backprop needs a training forward pass on the same input first", vertexName);
        INDArray[] inputGradients = new INDArray[inputs.length];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            inputGradients[0] = stack.backward(epsilon, layerGradients);
            for (int l = 0; l < stack.layers(); l++) {
                inputGradients[l + 1] = stack.initialStateGradient(l);
            }
        }
        inputGradients[0] = copySequenceTo(ArrayType.ACTIVATION_GRAD, inputGradients[0], workspaceMgr);
        int top = stack.layers();
        for (int i = 1; i < top; i++) {
            inputGradients[i] = copyTo(ArrayType.ACTIVATION_GRAD, inputGradients[i], workspaceMgr);
        }
        // the context (the top layer's start state) is also every step's input: both uses add up
        INDArray contextGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                inputGradients[top].shape(), 'c');
        Nd4j.getExecutioner().exec(new AddOp(inputGradients[top], stack.contextGradient(), contextGradient));
        inputGradients[top] = contextGradient;
        Gradient gradient = new DefaultGradient(gradientsView);
        gradient.gradientForVariable().putAll(gradientTable);
        return new Pair<>(gradient, inputGradients);
    }

    private INDArray copyTo(ArrayType arrayType, INDArray array, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.createUninitialized(arrayType, dataType, array.shape(), 'c').assign(array);
    }

    /**
     * A sequence [B, C, T] copied into time-major rows [T·B, C] of the workspace, handed back as their [B, C, T]
     * view: the stack's buffers are time-major, so the copy is one contiguous block, and the layer on the other side
     * (the output layer, the embedding) reads the rows without another copy.
     */
    private INDArray copySequenceTo(ArrayType arrayType, INDArray sequence, LayerWorkspaceMgr workspaceMgr) {
        long batch = sequence.size(0);
        INDArray rows = workspaceMgr.createUninitialized(arrayType, dataType,
                new long[]{sequence.size(2) * batch, sequence.size(1)}, 'c');
        INDArray view = TimeMajor.rowsView(sequence);
        rows.assign(view != null ? view : sequence.permute(2, 0, 1).reshape('c', rows.shape()));
        return TimeMajor.sequence(rows, batch);
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradientsView) {
        this.gradientsView = gradientsView;
        SDVertexParams params = config.getVertexParams();
        gradientTable = SameDiffParamInitializer.getInstance().subsetAndReshape(params.getParameterKeys(),
                params.getParamShapes(), gradientsView, null, config);
        layerGradients = DecoderVertex.byLayer(gradientTable, config.getLayers());
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return config.feedForwardMaskArrays(maskArrays, currentMaskState, minibatchSize);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public Map<String, INDArray> paramTable(boolean backpropParamsOnly) {
        return paramTable;
    }

    @Override
    public TrainingConfig getConfig() {
        return config;
    }

    @Override
    public INDArray params() {
        return paramsView;
    }

    @Override
    public INDArray getGradientsViewArray() {
        return gradientsView;
    }

    @Override
    public void clearVertex() {
        clear();
    }

    @Override
    public String toString() {
        return "FusedDecoderVertex(" + vertexName + ", " + config + ")";
    }

    @Override
    public void releaseBuffers() {
        stack.release();
    }
}
