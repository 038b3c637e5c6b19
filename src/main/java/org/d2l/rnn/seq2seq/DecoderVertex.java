package org.d2l.rnn.seq2seq;

import static org.d2l.rnn.nn.GateParams.BIAS;
import static org.d2l.rnn.nn.GateParams.INPUT_WEIGHTS;
import static org.d2l.rnn.nn.GateParams.RECURRENT_WEIGHTS;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.d2l.rnn.nn.GateParams;
import org.d2l.rnn.nn.ParamInit;
import org.d2l.rnn.nn.ScratchRecurrent;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.base.Preconditions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * d2l 9.7's {@code Seq2SeqDecoder} minus its embedding and dense layers, as a ComputationGraph vertex: a stack
 * of d2l GRU layers (dropout between them, as {@code nn.GRU}) whose layer l starts from the encoder's final
 * state of layer l, and whose input at every step is the embedded target token concatenated with the context =
 * the encoder's top-layer final state. DL4J's built-in vertices can concatenate the context
 * (DuplicateToTimeSeriesVertex + MergeVertex) but cannot start a recurrent layer from another vertex's output.
 *
 * <p>Inputs, in order: the embedded decoder input [B, E, T], then the encoder's final state of each layer
 * [B, H], bottom layer first (the last one is also the context). Output: the top layer's hidden states
 * [B, H, T]; its mask is the decoder input's. Parameters per layer l: {@code Wx<l>}, {@code Wh<l>}, {@code b<l>}
 * in {@link GateParams}' layout (layer 0's input is E + H wide), from {@link #getParamInit()} (Xavier).
 *
 * <p>{@link #defineVertex} is the definition in SameDiff ops (the scratch GRU's equations, with d2l's inverted
 * dropout between layers as a product with a mask input); by default the vertex runs it as {@link SameDiffDecoderVertex}
 * (differentiated by SameDiff, executed by {@code SameDiffPlan}). {@link Engine#FUSED} runs
 * {@link FusedDecoderVertex} instead: the same function with {@code GruStack}'s hand-written BPTT. Both draw the
 * same dropout masks for the same seed, so either is the other's reference. Speed of both:
 * {@code bench --configs seq2seq,seq2seq-fused} (notebooks-export/performance/scratch).
 */
public class DecoderVertex extends SameDiffVertex {
    /** Name of the vertex input that holds the embedded decoder input. */
    private static final String EMBEDDED_INPUT = "embedded";

    /** Which code computes the vertex. */
    public enum Engine {
        /** GruStack: the fused GRU kernels (OpenBLAS matmuls, vectorised step math), hand-written backward pass. */
        FUSED,
        /** The SameDiff definition, unrolled per input shape, differentiated by SameDiff: the default. */
        SAMEDIFF
    }

    private long embeddingSize;
    private long hidden;
    private int layers;
    private double dropout;
    private ParamInit paramInit = ParamInit.XAVIER;
    private Engine engine = Engine.SAMEDIFF;

    /** For JSON deserialisation. */
    public DecoderVertex() {
    }

    /**
     * @param dropout d2l's drop probability between GRU layers (0 for none)
     */
    public DecoderVertex(long embeddingSize, long hidden, int layers, double dropout, Engine engine) {
        Preconditions.checkArgument(embeddingSize > 0 && hidden > 0 && layers > 0,
                "sizes must be positive: embedding %s, hidden %s, layers %s", embeddingSize, hidden, layers);
        Preconditions.checkArgument(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got %s", dropout);
        this.embeddingSize = embeddingSize;
        this.hidden = hidden;
        this.layers = layers;
        this.dropout = dropout;
        this.engine = engine;
    }

    static String stateInput(int layer) {
        return "state" + layer;
    }

    /** The SameDiff definition's input of layer {@code layer}'s dropout factors [B, H, T] (not a vertex input). */
    static String dropoutMaskInput(int layer) {
        return "dropoutMask" + layer;
    }

    static String paramKey(String gateParam, int layer) {
        return gateParam + layer;
    }

    /** The vertex's parameter (or gradient) table split per layer, keyed like {@link GateParams}. */
    static <T> List<Map<String, T>> byLayer(Map<String, T> table, int layers) {
        List<Map<String, T>> perLayer = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            Map<String, T> layer = new LinkedHashMap<>();
            for (String key : GateParams.KEYS) {
                layer.put(key, Objects.requireNonNull(table.get(paramKey(key, l)), () -> "no parameter " + key));
            }
            perLayer.add(layer);
        }
        return perLayer;
    }

    private long layerInputSize(int layer) {
        return layer == 0 ? embeddingSize + hidden : hidden;
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        String[] inputs = new String[layers + 1];
        inputs[0] = EMBEDDED_INPUT;
        for (int l = 0; l < layers; l++) {
            inputs[l + 1] = stateInput(l);
        }
        params.defineInputs(inputs);
        for (int l = 0; l < layers; l++) {
            long nIn = layerInputSize(l);
            params.addWeightParam(paramKey(INPUT_WEIGHTS, l), GateParams.shape(INPUT_WEIGHTS, nIn, hidden, 3));
            params.addWeightParam(paramKey(RECURRENT_WEIGHTS, l),
                    GateParams.shape(RECURRENT_WEIGHTS, nIn, hidden, 3));
            params.addBiasParam(paramKey(BIAS, l), GateParams.shape(BIAS, nIn, hidden, 3));
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        List<Map<String, INDArray>> perLayer = byLayer(params, layers);
        for (int l = 0; l < layers; l++) {
            GateParams.initialise(perLayer.get(l), paramInit.weightInit(), paramInit.weightInit(),
                    layerInputSize(l), hidden);
        }
    }

    /**
     * The decoder in SameDiff ops: context repeated over the steps, concatenated, then the scratch GRU layers, each
     * but the top one's output times its dropout factors (a placeholder the runtime fills: new factors in
     * training, ones otherwise, so one unrolled graph serves both).
     */
    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                   Map<String, SDVariable> masks) {
        SDVariable embedded = inputs.get(EMBEDDED_INPUT);
        int steps = Math.toIntExact(embedded.getShape()[2]);
        SDVariable context = inputs.get(stateInput(layers - 1));
        SDVariable x = sd.concat(1, embedded, sd.tile(sd.expandDims(context, 2), 1, 1, steps));
        List<Map<String, SDVariable>> perLayer = byLayer(params, layers);
        for (int l = 0; l < layers; l++) {
            x = ScratchRecurrent.gruSequence(sd, x, steps, perLayer.get(l), inputs.get(stateInput(l)));
            if (l < layers - 1 && dropout > 0) {
                x = x.mul(sd.placeHolder(dropoutMaskInput(l), embedded.dataType(), embedded.getShape()[0], hidden,
                        steps));
            }
        }
        return x;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType dataType) {
        setName(name); // the updater names this vertex's parameter blocks by it
        return engine == Engine.FUSED
                ? new FusedDecoderVertex(this, graph, name, idx, paramsView, initializeParams, dataType)
                : new SameDiffDecoderVertex(this, graph, name, idx, paramsView, initializeParams, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) {
        return InputType.recurrent(hidden, ((InputType.InputTypeRecurrent) inputs[0]).getTimeSeriesLength());
    }

    /** The output has one step per decoder input step, so it carries the decoder input's mask. */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return new Pair<>(maskArrays == null ? null : maskArrays[0], currentMaskState);
    }

    @Override
    public int minVertexInputs() {
        return layers + 1;
    }

    @Override
    public int maxVertexInputs() {
        return layers + 1;
    }

    @Override
    public GraphVertex clone() {
        DecoderVertex copy = new DecoderVertex(embeddingSize, hidden, layers, dropout, engine);
        copy.paramInit = paramInit;
        copy.regularization = regularization;
        copy.regularizationBias = regularizationBias;
        copy.updater = updater == null ? null : updater.clone();
        copy.biasUpdater = biasUpdater == null ? null : biasUpdater.clone();
        copy.gradientNormalization = gradientNormalization;
        copy.gradientNormalizationThreshold = gradientNormalizationThreshold;
        copy.dataType = dataType;
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecoderVertex other && embeddingSize == other.embeddingSize && hidden == other.hidden
                && layers == other.layers && dropout == other.dropout && paramInit == other.paramInit
                && engine == other.engine && Objects.equals(updater, other.updater);
    }

    @Override
    public int hashCode() {
        return Objects.hash(embeddingSize, hidden, layers, dropout, paramInit, engine);
    }

    @Override
    public String toString() {
        return "DecoderVertex(embedding=" + embeddingSize + ", hidden=" + hidden + ", layers=" + layers
                + ", dropout=" + dropout + ", " + engine + ")";
    }

    public long getEmbeddingSize() {
        return embeddingSize;
    }

    public void setEmbeddingSize(long embeddingSize) {
        this.embeddingSize = embeddingSize;
    }

    public long getHidden() {
        return hidden;
    }

    public void setHidden(long hidden) {
        this.hidden = hidden;
    }

    public int getLayers() {
        return layers;
    }

    public void setLayers(int layers) {
        this.layers = layers;
    }

    /** d2l's drop probability between the GRU layers. */
    public double getDropout() {
        return dropout;
    }

    public void setDropout(double dropout) {
        this.dropout = dropout;
    }

    public ParamInit getParamInit() {
        return paramInit;
    }

    public void setParamInit(ParamInit paramInit) {
        this.paramInit = paramInit;
    }

    public Engine getEngine() {
        return engine;
    }

    public void setEngine(Engine engine) {
        this.engine = engine;
    }
}
