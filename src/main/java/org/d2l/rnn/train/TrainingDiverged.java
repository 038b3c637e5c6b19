package org.d2l.rnn.train;

import org.d2l.rnn.UserError;

/**
 * The loss or the gradient became NaN or infinite: the parameters are lost, so training stops. It carries the
 * perplexities of the epochs that completed, so a report can show the run up to that point.
 */
public final class TrainingDiverged extends UserError {
    private final int epoch;
    private final double[] perplexityByEpoch;

    /** {@code minibatch} 0: somewhere in the epoch (data-parallel training cannot tell which). */
    TrainingDiverged(int epoch, int minibatch, String what, double[] perplexityByEpoch) {
        super("training diverged at epoch " + epoch + (minibatch > 0 ? ", minibatch " + minibatch : "") + " (" + what
                + "); lower --lr or clip harder with --clip");
        this.epoch = epoch;
        this.perplexityByEpoch = perplexityByEpoch.clone();
    }

    /** The same divergence with a hint appended (e.g. where the last good checkpoint is). */
    public TrainingDiverged(TrainingDiverged cause, String hint) {
        super(cause.getMessage() + "; " + hint);
        this.epoch = cause.epoch;
        this.perplexityByEpoch = cause.perplexityByEpoch;
    }

    /** The epoch (1-based) in which it happened. */
    public int epoch() {
        return epoch;
    }

    /** Perplexities of the completed epochs before it. */
    public double[] perplexityByEpoch() {
        return perplexityByEpoch.clone();
    }
}
