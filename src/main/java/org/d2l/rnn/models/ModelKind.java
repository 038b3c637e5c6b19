package org.d2l.rnn.models;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.d2l.rnn.UserError;
import org.d2l.rnn.nn.Cell;
import org.d2l.rnn.nn.FastGru;
import org.d2l.rnn.nn.FusedBidirectional;
import org.d2l.rnn.nn.ParamInit;
import org.d2l.rnn.nn.ScratchRecurrent;
import org.d2l.rnn.nn.StatefulLstm;
import org.d2l.rnn.nn.StatefulSimpleRnn;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.Activation;

/**
 * The language models of d2l chapters 8-9, by CLI name: the one registry of model kinds. Each constant carries
 * everything a kind means elsewhere — its recurrent layer ({@link #recurrentLayer}), gate blocks (for the
 * benchmark's FLOP count), whether it is a scratch model (d2l's init) or bidirectional, and its line in
 * {@code train-lm --help} and the README — so a new kind is one constant here and its layer builder.
 */
public enum ModelKind {
    RNN_SCRATCH("rnn-scratch", 1, true, false, "d2l 8.5: the RNN from its equations (SameDiff, N(0, 0.01) init)",
            s -> scratch(Cell.RNN, s.hidden(), activation(s))),
    GRU_SCRATCH("gru-scratch", 3, true, false, "d2l 9.1: the GRU from its equations (SameDiff)",
            s -> scratch(Cell.GRU, s.hidden(), Activation.TANH)),
    LSTM_SCRATCH("lstm-scratch", 4, true, false, "d2l 9.2: the LSTM from its equations (SameDiff)",
            s -> scratch(Cell.LSTM, s.hidden(), Activation.TANH)),
    RNN("rnn", 1, false, false, "d2l 8.6: DL4J's SimpleRnn configuration, trained by our stateful kernel layer "
            + "(StatefulSimpleRnn: right gradient from a carried state)",
            s -> new StatefulSimpleRnn(s.hidden(), activation(s))),
    // The product card's GRU is a custom SameDiff layer. Issue 15 made it the default once it trains within 1.2x
    // of the fused kernel: FastGru / SameDiff layer 1.14 in notebooks-export/performance/scratch (5 rounds), 1.09
    // and 1.19 in two A/B runs of the same day. FastGru is the opt-in for speed.
    GRU("gru", 3, false, false, "d2l 9.1 concise: the GRU as our SameDiff layer (DL4J has none), PyTorch's init",
            s -> new ScratchRecurrent.Builder().cell(Cell.GRU).nOut(s.hidden()).build()),
    GRU_FUSED("gru-fused", 3, false, false, "d2l 9.1 concise on FastGru: the same GRU, parameters and init as "
            + "gru, with a hand-written fused backward pass (faster)",
            s -> new FastGru.Builder().nOut(s.hidden()).build()),
    LSTM("lstm", 4, false, false, "d2l 9.2 concise: DL4J's LSTM configuration, trained by our stateful kernel "
            + "layer (StatefulLstm)",
            s -> new StatefulLstm(s.hidden(), Activation.TANH)),
    BI_LSTM("bi-lstm", 4, false, true, "d2l 9.4: Bidirectional(StatefulLstm), run by FusedBidirectional",
            s -> new FusedBidirectional(new StatefulLstm(s.hidden(), Activation.TANH))),
    BI_GRU("bi-gru", 3, false, true, "d2l 9.4 with our GRU: Bidirectional(FastGru), run by FusedBidirectional",
            s -> new FusedBidirectional(new FastGru.Builder().nOut(s.hidden()).build()));

    private final String cliName;
    private final int gates;
    private final boolean scratch;
    private final boolean bidirectional;
    private final String help;
    private final Function<ModelSpec, Layer> layer;

    ModelKind(String cliName, int gates, boolean scratch, boolean bidirectional, String help,
              Function<ModelSpec, Layer> layer) {
        this.cliName = cliName;
        this.gates = gates;
        this.scratch = scratch;
        this.bidirectional = bidirectional;
        this.help = help;
        this.layer = layer;
    }

    public String cliName() {
        return cliName;
    }

    /** Scratch models start as d2l's scratch code (N(0, 0.01) weights); the others as PyTorch's modules. */
    public boolean scratch() {
        return scratch;
    }

    /** Bidirectional models see the future: they cannot be stepped, carry state, or use TBPTT. */
    public boolean bidirectional() {
        return bidirectional;
    }

    /** Gate blocks per recurrent layer and direction: 1 (RNN), 3 (GRU), 4 (LSTM). */
    public int gates() {
        return gates;
    }

    /** One line saying what the kind is, for {@code --help} and the README. */
    public String help() {
        return help;
    }

    /** One recurrent layer of this kind for {@code spec} (hidden size, activation); stacked by LanguageModels. */
    public Layer recurrentLayer(ModelSpec spec) {
        return layer.apply(spec);
    }

    public static ModelKind parse(String name) {
        return Arrays.stream(values()).filter(k -> k.cliName.equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new UserError("--model '" + name + "' is not one of: " + names()));
    }

    /** The CLI names, comma-separated, in declaration order. */
    public static String names() {
        return Arrays.stream(values()).map(ModelKind::cliName).collect(Collectors.joining(", "));
    }

    private static Activation activation(ModelSpec spec) {
        return "relu".equals(spec.activation()) ? Activation.RELU : Activation.TANH;
    }

    /** d2l's from-scratch cells: explicit parameters, normal(0, 0.01) weights, zero biases, SameDiff autodiff. */
    private static Layer scratch(Cell cell, int hidden, Activation act) {
        return new ScratchRecurrent.Builder().cell(cell).nOut(hidden).activation(act).paramInit(ParamInit.D2L).build();
    }
}
