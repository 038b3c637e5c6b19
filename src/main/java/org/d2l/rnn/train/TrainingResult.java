package org.d2l.rnn.train;

/**
 * What a training run measured.
 *
 * @param perplexityByEpoch d2l's per-epoch perplexity
 * @param tokensPerSecByEpoch training throughput of each epoch
 * @param tokensPerSec      all tokens over the whole wall time
 * @param seconds           wall time of the run
 * @param lastGradientNorm  global gradient norm of the last minibatch (before clipping)
 * @param memoryAfterWarmUp the process's memory after the first tenth of the epochs
 * @param memoryAtEnd       and after the last: outside the heap, flat when nothing leaks
 * @param outsideHeapMibByEpoch resident memory outside the Java heap after every epoch
 * @param residentMibByEpoch the process's resident set after every epoch
 * @param gradientNorms      per epoch: mean and largest global gradient norm before clipping, share clipped
 */
public record TrainingResult(double[] perplexityByEpoch, double[] tokensPerSecByEpoch, double tokensPerSec,
                             double seconds, double lastGradientNorm, MemorySnapshot memoryAfterWarmUp,
                             MemorySnapshot memoryAtEnd, double[] outsideHeapMibByEpoch,
                             double[] residentMibByEpoch, GradientNorms gradientNorms) {
    /** Global gradient norms before clipping, one value per epoch (of this process's run). */
    public record GradientNorms(double[] meanByEpoch, double[] maxByEpoch, double[] clippedShareByEpoch) {
    }

    public double finalPerplexity() {
        return perplexityByEpoch[perplexityByEpoch.length - 1];
    }
}
