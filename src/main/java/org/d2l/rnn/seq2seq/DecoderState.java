package org.d2l.rnn.seq2seq;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The GRU decoder's state between calls.
 *
 * @param hidden  each layer's hidden state, [batch, H], bottom layer first
 * @param context what is concatenated to the embedded input of every step, [batch, H]
 */
public record DecoderState(INDArray[] hidden, INDArray context) {
}
