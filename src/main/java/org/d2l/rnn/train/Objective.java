package org.d2l.rnn.train;

/**
 * Which loss d2l back-propagates, and so what DL4J's gradient must be scaled by to match it.
 *
 * <p>DL4J's RNN output layer yields the gradient of Σ CE (summed over every real token of the minibatch) and its
 * updater then divides by the batch size B. d2l differs per chapter; {@link #gradientFactor} is what to multiply
 * DL4J's gradient by, before the updater, so that the update is d2l's.
 */
public enum Objective {
    /** d2l {@code train_ch8}: the mean over all B·T tokens, {@code loss(y_hat, y).mean()} → factor 1/T. */
    TOKEN_MEAN,
    /**
     * d2l {@code train_seq2seq}: Σ over the batch of each sequence's masked loss averaged over all T steps,
     * {@code l.sum().backward()} → ∇ Σ CE / T, which DL4J's division by B makes factor B/T.
     */
    SEQUENCE_SUM;

    public double gradientFactor(long batch, int steps) {
        return this == TOKEN_MEAN ? 1.0 / steps : (double) batch / steps;
    }
}
