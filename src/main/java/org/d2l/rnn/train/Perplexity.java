package org.d2l.rnn.train;

/**
 * d2l's perplexity: the exponential of the mean per-token cross-entropy, accumulated over the minibatches of
 * an epoch as {@code sum(loss * tokens) / sum(tokens)}.
 */
public final class Perplexity {
    private double lossSum;
    private long tokens;

    /** @param crossEntropySum the minibatch's cross-entropy summed over its tokens; @param count their number */
    public void addSum(double crossEntropySum, long count) {
        lossSum += crossEntropySum;
        tokens += count;
    }

    public double meanLoss() {
        return tokens == 0 ? Double.NaN : lossSum / tokens;
    }

    public double value() {
        return Math.exp(meanLoss());
    }

    public long tokens() {
        return tokens;
    }
}
