package org.d2l.rnn.nn;

import org.nd4j.linalg.activations.Activation;

/** The recurrent cells {@link ScratchRecurrent} can unroll, each a direct transcription of d2l's equations. */
public enum Cell {
    /** d2l 8.5 RNN: H = act(X W_xh + H W_hh + b_h); act is the layer's activation (tanh or relu). */
    RNN,
    /** d2l 9.1 GRU (reset gate applied before the recurrent matmul). */
    GRU,
    /** d2l 9.2 LSTM (states h and c). */
    LSTM;

    /** The cell's equations; {@code rnnActivation} is used by {@link #RNN} only. */
    RecurrentCell equations(Activation rnnActivation) {
        return switch (this) {
            case RNN -> new RnnCell(rnnActivation);
            case GRU -> new GruCell();
            case LSTM -> new LstmCell();
        };
    }
}
