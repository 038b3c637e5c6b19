package org.d2l.rnn.models;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.d2l.rnn.UserError;

/** The language models of d2l chapters 8-9, by CLI name. */
public enum ModelKind {
    /** d2l 8.5: the RNN from its equations (SameDiff, N(0, 0.01) init). */
    RNN_SCRATCH("rnn-scratch", true, false),
    /** d2l 9.1: the GRU from its equations (SameDiff). */
    GRU_SCRATCH("gru-scratch", true, false),
    /** d2l 9.2: the LSTM from its equations (SameDiff). */
    LSTM_SCRATCH("lstm-scratch", true, false),
    /** d2l 8.6: DL4J's SimpleRnn. */
    RNN("rnn", false, false),
    /** d2l 9.1 concise: our fused GRU layer (DL4J has none). */
    GRU("gru", false, false),
    /** d2l 9.2 concise: DL4J's LSTM. */
    LSTM("lstm", false, false),
    /** d2l 9.4: Bidirectional(LSTM). */
    BI_LSTM("bi-lstm", false, true),
    /** d2l 9.4 with our GRU: Bidirectional(FastGru) (DL4J's wrapper accepts it). */
    BI_GRU("bi-gru", false, true);

    private final String cliName;
    private final boolean scratch;
    private final boolean bidirectional;

    ModelKind(String cliName, boolean scratch, boolean bidirectional) {
        this.cliName = cliName;
        this.scratch = scratch;
        this.bidirectional = bidirectional;
    }

    public String cliName() {
        return cliName;
    }

    public boolean scratch() {
        return scratch;
    }

    /** Bidirectional models see the future: they cannot be stepped, carry state, or use TBPTT. */
    public boolean bidirectional() {
        return bidirectional;
    }

    public static ModelKind parse(String name) {
        return Arrays.stream(values()).filter(k -> k.cliName.equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new UserError("--model '" + name + "' is not one of: "
                        + Arrays.stream(values()).map(ModelKind::cliName).collect(Collectors.joining(", "))));
    }
}
