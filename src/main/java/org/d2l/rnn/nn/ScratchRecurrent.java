package org.d2l.rnn.nn;

import static org.d2l.rnn.nn.GateParams.BIAS;
import static org.d2l.rnn.nn.GateParams.INPUT_WEIGHTS;
import static org.d2l.rnn.nn.GateParams.RECURRENT_WEIGHTS;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * d2l's "from scratch" recurrent models (8.5 RNN, 9.1 GRU, 9.2 LSTM) as a DL4J layer: the cell's equations are
 * written with explicit parameters, unrolled over time in a SameDiff graph and differentiated by SameDiff.
 *
 * <p>Input NCW [batch, nIn, T] (one-hot or embedded tokens), output [batch, nOut, T]; any T and batch at run time
 * (one graph per sequence length, built on first use). Stateful like DL4J's own recurrent layers (its runtime
 * layer {@link ScratchRecurrentLayer} is a {@code RecurrentLayer}). Parameters: see {@link GateParams}; they start
 * from {@link #getParamInit()} (default {@link ParamInit#D2L}), not from the network's {@code weightInit}.
 * Feature masks are ignored (the layer is causal, so right-padding only affects the padded steps).
 *
 * <pre>{@code
 * graph.addLayer("rnn", new ScratchRecurrent.Builder().cell(Cell.GRU).nOut(256).build(), "in");
 * }</pre>
 * For speed prefer {@link FastGru} (same GRU function, hand-written backward pass, no per-op graph overhead).
 */
public class ScratchRecurrent extends SameDiffLayer {
    private long nIn;
    private long nOut;
    private Cell cell = Cell.GRU;
    private Activation activation = Activation.TANH;
    private ParamInit paramInit = ParamInit.D2L;
    private boolean inputGradient = true;

    /** For JSON deserialisation; use {@link Builder}. */
    public ScratchRecurrent() {
    }

    private ScratchRecurrent(Builder builder) {
        super(builder);
        nIn = builder.nIn;
        nOut = builder.nOut;
        cell = builder.cell;
        activation = builder.activation;
        paramInit = builder.paramInit;
        inputGradient = builder.inputGradient;
    }

    /** Name of the graph variable that holds the initial value of the state {@code stateName}. */
    static String initialStateVariable(String stateName) {
        return "initial_" + stateName;
    }

    RecurrentCell equations() {
        return cell.equations(activation);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        int gates = equations().gates();
        params.addWeightParam(INPUT_WEIGHTS, GateParams.shape(INPUT_WEIGHTS, nIn, nOut, gates));
        params.addWeightParam(RECURRENT_WEIGHTS, GateParams.shape(RECURRENT_WEIGHTS, nIn, nOut, gates));
        params.addBiasParam(BIAS, GateParams.shape(BIAS, nIn, nOut, gates));
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        GateParams.initialise(params, paramInit.weightInit(), paramInit.weightInit(), nIn, nOut);
    }

    /**
     * Unrolls the cell over the T steps of {@code x} [batch, nIn, T]. Returns the hidden states stacked along
     * time, followed by the final value of every further state (LSTM: c_T), so that one forward pass also yields
     * what a stateful call must carry over; {@link ScratchRecurrentLayer} cuts those columns off again.
     * Initial states are placeholders ({@link #initialStateVariable}) that the runtime layer fills before each
     * pass: they are not layer parameters, and SameDiff computes no gradient for them.
     */
    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> params, SDVariable mask) {
        List<String> stateNames = equations().stateNames();
        SDVariable[] state = new SDVariable[stateNames.size()];
        for (int i = 0; i < state.length; i++) {
            state[i] = sd.placeHolder(initialStateVariable(stateNames.get(i)), x.dataType(), -1, nOut);
        }
        return sd.stack(2, unroll(sd, equations(), x, Math.toIntExact(x.getShape()[2]), params, state));
    }

    /**
     * d2l's GRU ({@link Cell#GRU}) as SameDiff ops over {@code x} [batch, nIn, steps] from {@code h0} [batch, H]:
     * h_1 .. h_T stacked as [batch, H, steps]. {@code params} are keyed like {@link GateParams}. It is the same
     * definition this layer unrolls, offered as the reference for fused GRU code elsewhere (the seq2seq decoder
     * vertex), so the GRU equations stay written once.
     */
    public static SDVariable gruSequence(SameDiff sd, SDVariable x, int steps, Map<String, SDVariable> params,
                                         SDVariable h0) {
        return sd.stack(2, unroll(sd, Cell.GRU.equations(Activation.TANH), x, steps, params, new SDVariable[]{h0}));
    }

    /** h_1 .. h_T of the cell over {@code x} from {@code state}, then the final value of every further state. */
    private static SDVariable[] unroll(SameDiff sd, RecurrentCell equations, SDVariable x, int steps,
                                       Map<String, SDVariable> params, SDVariable[] state) {
        long hidden = params.get(RECURRENT_WEIGHTS).getShape()[0];
        SDVariable[][] inputs = inputProjections(sd, x, params, equations.inputGroups(), steps, hidden);
        RecurrentCell.Step step = equations.bind(sd, params.get(RECURRENT_WEIGHTS), hidden);
        SDVariable[] outputs = new SDVariable[steps + state.length - 1];
        for (int t = 0; t < steps; t++) {
            state = step.next(inputs[t], state);
            outputs[t] = state[0];
        }
        System.arraycopy(state, 1, outputs, steps, state.length - 1);
        return outputs;
    }

    /**
     * X Wx + b for all steps before the loop, one matmul per input group of the cell (time-major rows
     * t*batch + i), unstacked per step: [step][group] -> [batch, width]. The groups slice the small Wx and b, not
     * the big projection; {@code sd.unstack} because 3-D {@code get(point)} slices crashed strided_slice_bp.
     */
    private static SDVariable[][] inputProjections(SameDiff sd, SDVariable x, Map<String, SDVariable> params,
                                                   int[] groups, int steps, long hidden) {
        long nIn = params.get(INPUT_WEIGHTS).getShape()[0];
        SDVariable rows = sd.reshape(sd.permute(x, 2, 0, 1), -1, nIn);
        SDVariable[][] perStep = new SDVariable[steps][groups.length];
        long from = 0;
        for (int g = 0; g < groups.length; g++) {
            long to = from + groups[g] * hidden;
            SDVariable weights = params.get(INPUT_WEIGHTS);
            SDVariable bias = params.get(BIAS);
            if (groups.length > 1) {
                weights = RecurrentCell.columns(weights, from, to);
                bias = bias.get(SDIndex.interval(from, to)); // 1-D slice: a reshaped 2-D one broke strided_slice_bp
            }
            SDVariable projection = sd.reshape(rows.mmul(weights).add(bias), steps, -1, to - from);
            SDVariable[] slices = sd.unstack(projection, 0, steps);
            for (int t = 0; t < steps; t++) {
                perStep[t][g] = slices[t];
            }
            from = to;
        }
        return perStep;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.recurrent(nOut, recurrent(inputType).getTimeSeriesLength());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            nIn = recurrent(inputType).getSize();
        }
    }

    private InputType.InputTypeRecurrent recurrent(InputType inputType) {
        Preconditions.checkArgument(inputType instanceof InputType.InputTypeRecurrent,
                "ScratchRecurrent %s needs recurrent input [batch, size, T], got %s", getLayerName(), inputType);
        return (InputType.InputTypeRecurrent) inputType;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        return Instantiation.wire(new ScratchRecurrentLayer(conf, dataType), initializer(), conf, listeners, index,
                paramsView, initializeParams);
    }

    public long getNIn() {
        return nIn;
    }

    public void setNIn(long nIn) {
        this.nIn = nIn;
    }

    public long getNOut() {
        return nOut;
    }

    public void setNOut(long nOut) {
        this.nOut = nOut;
    }

    public Cell getCell() {
        return cell;
    }

    public void setCell(Cell cell) {
        this.cell = cell;
    }

    /** Activation of the {@link Cell#RNN} cell (GRU and LSTM use d2l's fixed sigmoid/tanh). */
    public Activation getActivation() {
        return activation;
    }

    public void setActivation(Activation activation) {
        this.activation = activation;
    }

    /**
     * Whether backpropagation computes dL/dInput (default true). False where the layer reads the network's input:
     * DL4J discards that gradient (the layer then returns null, as DL4J's embedding layers do), and with a large
     * one-hot vocabulary its matmul is the costliest op of the backward pass.
     */
    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    public ParamInit getParamInit() {
        return paramInit;
    }

    public void setParamInit(ParamInit paramInit) {
        this.paramInit = paramInit;
    }

    /** Builder: {@code cell}, {@code nOut} (required), {@code nIn} (set from the input type if omitted),
     *  {@code activation} (RNN only: TANH or RELU, default TANH), {@code paramInit} (default D2L),
     *  {@code inputGradient} (default true). */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private long nIn;
        private long nOut;
        private Cell cell = Cell.GRU;
        private Activation activation = Activation.TANH;
        private ParamInit paramInit = ParamInit.D2L;
        private boolean inputGradient = true;

        public Builder cell(Cell cell) {
            this.cell = cell;
            return this;
        }

        public Builder nIn(long nIn) {
            this.nIn = nIn;
            return this;
        }

        public Builder nOut(long nOut) {
            this.nOut = nOut;
            return this;
        }

        public Builder activation(Activation activation) {
            this.activation = activation;
            return this;
        }

        public Builder paramInit(ParamInit paramInit) {
            this.paramInit = paramInit;
            return this;
        }

        /** See {@link ScratchRecurrent#isInputGradient()}. */
        public Builder inputGradient(boolean inputGradient) {
            this.inputGradient = inputGradient;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public ScratchRecurrent build() {
            Preconditions.checkState(nOut > 0, "ScratchRecurrent needs nOut > 0");
            Preconditions.checkState(cell == Cell.RNN || activation == Activation.TANH,
                    "activation applies to the RNN cell only; %s uses d2l's fixed sigmoid/tanh", cell);
            return new ScratchRecurrent(this);
        }
    }
}
