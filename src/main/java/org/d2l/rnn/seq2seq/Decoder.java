package org.d2l.rnn.seq2seq;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * d2l 9.6's decoder: starts from a state made of the encoder's outputs and maps target-side tokens to
 * distributions over the target vocabulary, one per step, carrying its state along.
 *
 * @param <O> what the matching {@link Encoder} produces
 * @param <S> the decoder state; immutable, so that a search can keep several
 */
public interface Decoder<O, S> {
    /** d2l's {@code init_state}: the state before the first decoder step. */
    S initState(O encoderOutputs, int[] sourceValidLength);

    /**
     * Runs over {@code input} [batch][T] from {@code state} (teacher forcing when T > 1, one step of a search
     * when T = 1).
     */
    Decoded<S> forward(int[][] input, S state);

    /**
     * The state of the given batch rows, in the given order (rows may repeat): beam search continues each chosen
     * hypothesis from the state of the hypothesis it extends.
     */
    S selectRows(S state, int[] rows);

    /**
     * @param logProbabilities log-softmax over the target vocabulary, [batch, vocab, T]
     * @param state            the state after the last step
     */
    record Decoded<S>(INDArray logProbabilities, S state) {
    }
}
