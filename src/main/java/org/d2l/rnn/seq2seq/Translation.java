package org.d2l.rnn.seq2seq;

/**
 * A decoded output sequence.
 *
 * @param tokens         the generated target tokens, without {@code <bos>} and without the final {@code <eos>}
 * @param endedWithEos   whether decoding stopped at {@code <eos>} (otherwise it hit the maximum length)
 * @param logProbability log P of every generated token, the {@code <eos>} included when there is one
 */
public record Translation(int[] tokens, boolean endedWithEos, double logProbability) {

    /** L of d2l 9.8: the number of generated tokens whose probabilities make up {@link #logProbability}. */
    public int length() {
        return tokens.length + (endedWithEos ? 1 : 0);
    }

    /** d2l 9.8's final score (1 / L^α) log P; d2l uses α = 0.75. */
    public double score(double alpha) {
        return logProbability / Math.pow(length(), alpha);
    }
}
