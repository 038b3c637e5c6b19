package org.d2l.rnn.seq2seq;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the GRU encoder hands over (d2l's {@code (output, state)}).
 *
 * @param outputs     the top layer's hidden state at every source step, [batch, H, T] (padded steps included;
 *                    unused by the plain decoder, kept for attention)
 * @param finalStates each layer's hidden state at the last REAL token of each row, [batch, H], bottom layer first
 */
public record EncoderOutputs(INDArray outputs, INDArray[] finalStates) {
}
