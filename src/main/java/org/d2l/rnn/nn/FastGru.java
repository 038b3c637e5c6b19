package org.d2l.rnn.nn;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The default GRU layer: d2l 9.1's GRU (same function and parameters as {@code ScratchRecurrent} with
 * {@link Cell#GRU}), computed by {@link FastGruLayer} on a fused kernel ({@link GruKernel}: direct OpenBLAS
 * matmuls, one {@link StepMath} call per step) with a hand-written backward pass.
 *
 * <p>Input NCW [batch, nIn, T], output [batch, nOut, T], any T and batch. Stateful ({@code rnnTimeStep},
 * truncated BPTT). A {@link BaseRecurrentLayer}, so DL4J's {@code Bidirectional} and {@code LastTimeStep}
 * wrappers accept it. Weights start from the network's {@code weightInit} (DL4J's default: XAVIER) unless
 * {@link Builder#paramInit} or {@code weightInit} is given; biases start at zero. The activation setting is
 * not used (the GRU's sigmoid/tanh are fixed). Dropout ({@code dropOut(retainProbability)}) applies to the layer's
 * input in training, as for DL4J's LSTM: it is how a stack gets PyTorch's dropout between GRU layers (a
 * {@code DropoutLayer} fails on masked sequence input in M2.1). Weight noise and NWC input are rejected rather
 * than ignored, and feature masks are ignored (the layer is causal, so right-padding only affects padded steps).
 *
 * <p>Why not SameDiff's {@code gru} op: its backward pass (libnd4j {@code gru_bp}) computes the reset-gate
 * gradient wrongly, and its forward applies the reset gate after the matmul, which is not d2l's GRU
 * (shared notes dl4j-gru.md).
 */
public class FastGru extends BaseRecurrentLayer {

    /** For JSON deserialisation; use {@link Builder}. */
    public FastGru() {
    }

    private FastGru(Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        LayerValidation.assertNInNOutSet("FastGru", getLayerName(), index, getNIn(), getNOut());
        Preconditions.checkState(rnnDataFormat == RNNFormat.NCW, "FastGru %s takes NCW input only", getLayerName());
        Preconditions.checkState(getWeightNoise() == null, "FastGru %s does not implement weight noise",
                getLayerName());
        return Instantiation.wire(new FastGruLayer(conf, dataType), initializer(), conf, listeners, index,
                paramsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return GruParamInitializer.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        long updaterState = getIUpdater() == null ? 0 : getIUpdater().stateSize(params);
        long steps = Math.max(1, ((InputType.InputTypeRecurrent) inputType).getTimeSeriesLength());
        long forwardPerExample = steps * (getNIn() + 5 * getNOut()); // input copy, h, R, Z, H~, R*h
        long backwardPerExample = steps * (getNIn() + 7 * getNOut()); // dX, dh, three factors, three dZ
        return new LayerMemoryReport.Builder(getLayerName(), FastGru.class, inputType,
                getOutputType(-1, inputType))
                .standardMemory(params, updaterState)
                .workingMemory(0, forwardPerExample, 0, forwardPerExample + backwardPerExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Builder: {@code nOut} (required), {@code nIn} (from the input type if omitted), {@code paramInit}. */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {
        /** Shorthand for {@code weightInit(init.weightInit())}: {@link ParamInit#D2L} is d2l's normal(0, 0.01). */
        public Builder paramInit(ParamInit init) {
            return weightInit(init.weightInit());
        }

        @Override
        @SuppressWarnings("unchecked")
        public FastGru build() {
            return new FastGru(this);
        }
    }
}
