package org.d2l.rnn.seq2seq;

/**
 * d2l 9.6's encoder: a batch of variable-length source sequences to whatever the decoder starts from.
 *
 * @param <O> the encoder's outputs (for the GRU encoder {@link EncoderOutputs}; an attention model would also
 *            want every step's states, which {@link EncoderOutputs} keeps)
 */
public interface Encoder<O> {
    /**
     * @param source      token indices [batch][T], right-padded
     * @param validLength the number of real (non-padding) tokens of each row, at least 1
     */
    O encode(int[][] source, int[] validLength);
}
