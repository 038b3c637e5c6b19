package org.d2l.rnn.seq2seq;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * d2l 9.7's decoder input: every step's embedded token followed by the same context vector,
 * [batch, E + H, T] — and the way its gradient splits back onto the embeddings and the context.
 */
final class ContextInput {
    private ContextInput() {
    }

    /** concat(embedded [B, E, T], context [B, H] repeated over T) along the feature axis. */
    static INDArray of(INDArray embedded, INDArray context) {
        long steps = embedded.size(2);
        INDArray contextPerStep = context.reshape(context.size(0), context.size(1), 1).repeat(2, steps);
        return Nd4j.concat(1, embedded, contextPerStep);
    }

    /** The part of dL/dInput [B, E + H, T] that belongs to the embeddings, [B, E, T] (a view). */
    static INDArray embeddingGradient(INDArray inputGradient, long embeddingSize) {
        return inputGradient.get(all(), interval(0, embeddingSize), all());
    }

    /** The context is used at every step, so its gradient is the sum over steps, [B, H]. */
    static INDArray contextGradient(INDArray inputGradient, long embeddingSize) {
        return inputGradient.get(all(), interval(embeddingSize, inputGradient.size(1)), all()).sum(2);
    }
}
