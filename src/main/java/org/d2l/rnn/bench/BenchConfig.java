package org.d2l.rnn.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.d2l.rnn.UserError;
import org.d2l.rnn.models.ModelKind;

/**
 * The standard training-throughput configurations (issue 6): char-level, vocabulary 28, batch 32, 35 steps, SGD
 * with global-norm clipping — plus d2l 9.7's seq2seq. {@code pytorch} names the matching config of
 * shared/reference/pytorch/bench.py, {@code djl} that of shared/reference/djl's DjlBench; null where it has none.
 */
public enum BenchConfig {
    RNN512("rnn512", ModelKind.RNN, 512, 1, "rnn-512", "rnn-512"),
    RNN_SCRATCH512("rnn-scratch512", ModelKind.RNN_SCRATCH, 512, 1, "rnn-scratch-512", null),
    GRU256("gru256", ModelKind.GRU, 256, 1, "gru-256", "gru-256"),
    /** The same GRU on the fused kernel: gru256 / gru256-fused is the SameDiff layer's cost. */
    GRU256_FUSED("gru256-fused", ModelKind.GRU_FUSED, 256, 1, "gru-256", "gru-256"),
    GRU_SCRATCH256("gru-scratch256", ModelKind.GRU_SCRATCH, 256, 1, "gru-scratch-256", null),
    LSTM256("lstm256", ModelKind.LSTM, 256, 1, "lstm-256", "lstm-256"),
    LSTM_SCRATCH256("lstm-scratch256", ModelKind.LSTM_SCRATCH, 256, 1, "lstm-scratch-256", null),
    DEEP_LSTM256("deep-lstm256", ModelKind.LSTM, 256, 2, "deep-lstm-256x2", "deep-lstm-256x2"),
    // DJL 0.36's bidirectional LSTM fails in its own parameter shapes (shared/reference/djl/README.md)
    BI_LSTM256("bi-lstm256", ModelKind.BI_LSTM, 256, 1, "bi-lstm-256x1", null),
    /** d2l 9.7's seq2seq with our default decoder: its SameDiff definition, run by SameDiffPlan. */
    SEQ2SEQ("seq2seq", null, 32, 2, null, null),
    /** The same seq2seq on the fused decoder: seq2seq / seq2seq-fused is the SameDiff decoder's cost. */
    SEQ2SEQ_FUSED("seq2seq-fused", null, 32, 2, null, null);

    public static final int VOCAB = 28;
    public static final int BATCH = 32;
    public static final int STEPS = 35;

    private final String cliName;
    private final ModelKind kind;
    private final int hidden;
    private final int layers;
    private final String pytorch;
    private final String djl;

    BenchConfig(String cliName, ModelKind kind, int hidden, int layers, String pytorch, String djl) {
        this.cliName = cliName;
        this.kind = kind;
        this.hidden = hidden;
        this.layers = layers;
        this.pytorch = pytorch;
        this.djl = djl;
    }

    /** d2l 9.7's encoder-decoder rather than a language model. */
    public boolean seq2seq() {
        return this == SEQ2SEQ || this == SEQ2SEQ_FUSED;
    }

    public String cliName() {
        return cliName;
    }

    public ModelKind kind() {
        return kind;
    }

    public int hidden() {
        return hidden;
    }

    public int layers() {
        return layers;
    }

    public String pytorch() {
        return pytorch;
    }

    public String djl() {
        return djl;
    }

    /**
     * Floating-point operations of one training step per token: 3 × the forward matmuls (the backward pass
     * costs two more of each), 2 FLOPs per multiply-add; input projections, recurrent matmuls and the output.
     */
    public double trainingFlopsPerToken() {
        int directions = kind.bidirectional() ? 2 : 1;
        double forward = 0;
        int input = VOCAB;
        for (int l = 0; l < layers; l++) {
            forward += directions * 2.0 * kind.gates() * hidden * (input + hidden);
            input = directions * hidden;
        }
        forward += 2.0 * input * VOCAB;
        return 3 * forward;
    }

    public static BenchConfig parse(String name) {
        for (BenchConfig c : values()) {
            if (c.cliName.equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new UserError("unknown bench config '" + name + "'; choose from: "
                + Arrays.stream(values()).map(BenchConfig::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
