package org.d2l.rnn.seq2seq;

/** Which context the decoder concatenates to its input during step-by-step decoding. */
public enum ContextMode {
    /**
     * The encoder's top-layer final state, for every step: the model as trained (teacher forcing feeds the whole
     * target in one call, so training always uses the encoder's context).
     */
    ENCODER,
    /**
     * d2l's {@code predict_seq2seq}: its decoder takes the context from {@code state[-1]}, the state it is given,
     * so after the first step the context drifts to the decoder's own top-layer state. Kept to reproduce d2l's
     * printed translations.
     */
    DRIFTING
}
