package org.d2l.rnn.train;

/**
 * What a training run measured.
 *
 * @param perplexityByEpoch d2l's per-epoch perplexity
 * @param tokensPerSecByEpoch training throughput of each epoch
 * @param tokensPerSec      all tokens over the whole wall time
 * @param seconds           wall time of the run
 * @param lastGradientNorm  global gradient norm of the last minibatch (before clipping)
 * @param residentMibAfterWarmUp the process's resident memory after the first tenth of the epochs
 * @param residentMibAtEnd  and after the last: flat when nothing leaks
 */
public record TrainingResult(double[] perplexityByEpoch, double[] tokensPerSecByEpoch, double tokensPerSec,
                             double seconds, double lastGradientNorm, double residentMibAfterWarmUp,
                             double residentMibAtEnd) {
    public double finalPerplexity() {
        return perplexityByEpoch[perplexityByEpoch.length - 1];
    }
}
